using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx audit repair-triggers</c>: puts back the audit tables' append-only triggers after an
/// operator has investigated why they were missing or changed (ADR 0012). The gateway never does
/// this by itself: re-creating them silently would hide the tampering. The repair is audited.
/// Exit 0 when repaired or nothing to repair, 1 on usage errors.
/// </summary>
public static class AuditRepairTriggersCommand
{
    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();
        var operatorName = new Option<string>("--operator") { Description = "Who repairs (named in the audit record)", DefaultValueFactory = _ => Environment.UserName };
        var command = new Command("repair-triggers", "Re-create the audit tables' append-only triggers, after investigating why they were missing") { database, operatorName };
        command.SetAction(async (parse, ct) =>
        {
            var databaseFile = database.Resolve(parse);
            if (databaseFile.Problem is { } problem)
            {
                await output.WriteLineAsync(problem);
                return 1;
            }
            await using var db = databaseFile.Open();
            var repaired = await AppendOnlyTriggers.RepairAsync(db, $"operator:{parse.GetValue(operatorName)}", DateTimeOffset.UtcNow, ct);
            if (repaired.Count == 0)
            {
                await output.WriteLineAsync("The append-only triggers are in place; nothing to repair");
                return 0;
            }
            foreach (var finding in repaired)
            {
                await output.WriteLineAsync($"REPAIRED: {finding}");
            }
            await output.WriteLineAsync("Recorded in the audit trail. Run rx audit verify --resources: the repair restores protection, not what was changed meanwhile.");
            return 0;
        });
        return command;
    }
}
