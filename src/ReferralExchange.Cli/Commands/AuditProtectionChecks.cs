using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// The parts of <c>rx audit verify</c> beyond the chain (ADR 0012): the append-only triggers, and
/// with <c>--resources</c> every stored resource version against its audit record. Each writes its
/// findings, naming what is wrong, and says whether everything held.
/// </summary>
public static class AuditProtectionChecks
{
    public static async Task<bool> TriggersAsync(GatewayDbContext db, TextWriter output, CancellationToken ct)
    {
        var findings = await AppendOnlyTriggers.FindingsAsync(db, ct);
        foreach (var finding in findings)
        {
            await output.WriteLineAsync($"TAMPERED: {finding}; investigate, then run rx audit repair-triggers");
        }
        return findings.Count == 0;
    }

    public static async Task<bool> ResourcesAsync(GatewayDbContext db, TextWriter output, CancellationToken ct)
    {
        var report = await new ResourceCoverageVerifier(db).VerifyAsync(ct);
        if (report.IsIntact)
        {
            await output.WriteLineAsync($"RESOURCES INTACT: {report.VersionsChecked} stored versions match the hashes their audit records hold");
            return true;
        }
        await output.WriteLineAsync($"RESOURCES BROKEN: {report.FindingCount} findings over {report.VersionsChecked} stored versions");
        foreach (var finding in report.Findings)
        {
            await output.WriteLineAsync($"  {finding}");
        }
        if (report.FindingCount > report.Findings.Count)
        {
            await output.WriteLineAsync($"  ... and {report.FindingCount - report.Findings.Count} more");
        }
        return false;
    }
}
