using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>Checks a seeded audit trail with the gateway's own verifier (what <c>rx audit verify</c> runs).</summary>
public static class SeedVerification
{
    public static async Task<AuditVerificationReport> VerifyAuditTrailAsync(BenchDataset dataset, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(dataset.DatabasePath);
        await using var db = new GatewayDbContext(options.Options);
        using var signer = LocalKeySigner.LoadOrCreate(dataset.AuditKeyPath);
        return await new AuditVerificationService(new AuditLogReader(db), signer).VerifyAsync(false, ct);
    }
}
