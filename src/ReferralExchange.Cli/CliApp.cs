using System.CommandLine;
using ReferralExchange.Cli.Commands;

namespace ReferralExchange.Cli;

/// <summary>The command tree. Each command lives in its own file under Commands/.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var root = new RootCommand("Referral Exchange operator tool")
        {
            new Command("audit", "The tamper-evident audit trail") { AuditVerifyCommand.Create(output), AuditWitnessCommand.Create(output), AuditRepairTriggersCommand.Create(output), AuditCoverExistingCommand.Create(output) },
            SchemaCommand.Create(output),
            DemoCommand.Create(output),
            PartnerCommands.Create(output),
            AccessIndexCommands.Create(output),
            NotificationCommands.Create(output),
        };
        return await root.Parse(args).InvokeAsync();
    }
}
