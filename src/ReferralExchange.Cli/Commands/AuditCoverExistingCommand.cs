using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx audit cover-existing</c>: once, when upgrading a database from before resource coverage
/// (ADR 0012), with the gateway stopped: migrates the schema, hashes every version that has no hash
/// yet and appends audit records covering them. Exit 0 when done, 2 when refused (coverage had
/// already begun: versions without a hash were added outside the gateway; investigate, then
/// <c>--force</c>), 1 on usage errors.
/// </summary>
public static class AuditCoverExistingCommand
{
    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();
        var operatorName = new Option<string>("--operator") { Description = "Who covers them (named in the audit records)", DefaultValueFactory = _ => Environment.UserName };
        var force = new Option<bool>("--force") { Description = "Cover unhashed versions even though coverage had begun (after investigating them)" };
        var command = new Command("cover-existing", "Hash and audit the resource versions stored before resource coverage (upgrade step)") { database, operatorName, force };
        command.SetAction(async (parse, ct) =>
        {
            var databaseFile = database.Resolve(parse);
            if (databaseFile.Problem is { } problem)
            {
                await output.WriteLineAsync(problem);
                return 1;
            }
            await using var db = databaseFile.Open();
            await DatabaseSetup.MigrateAsync(db, ct);
            var outcome = await ExistingVersionCoverage.CoverAsync(db, $"operator:{parse.GetValue(operatorName)}", parse.GetValue(force), DateTimeOffset.UtcNow, ct);
            if (outcome.Refused)
            {
                await output.WriteLineAsync("REFUSED: coverage has begun, so versions without a hash were added outside the gateway; run rx audit verify --resources, investigate, then --force");
                return 2;
            }
            await output.WriteLineAsync($"Covered {outcome.Covered} resource versions (hashed as found, recorded in the audit trail)");
            return 0;
        });
        return command;
    }
}
