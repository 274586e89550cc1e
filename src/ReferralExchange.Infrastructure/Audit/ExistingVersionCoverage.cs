using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Stores;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// <c>rx audit cover-existing</c>: the one-off upgrade step for versions stored before resource
/// coverage (ADR 0012, "Upgrading"), which have no hash and are therefore not served. It hashes
/// their bytes as they are now and appends audit records covering them, so from then on any change
/// is detected. It vouches for nothing before that moment (trust on first use), which is why it is
/// an explicit operator step and refuses, without <c>force</c>, once coverage has begun: a version
/// without a hash in a covered database was added outside the gateway.
/// </summary>
public static class ExistingVersionCoverage
{
    private const int VersionsPerRecord = 500;

    public sealed record Outcome(bool Refused, int Covered);

    public static async Task<Outcome> CoverAsync(GatewayDbContext db, string operatorName, bool force, DateTimeOffset now, CancellationToken ct)
    {
        if (!force && await db.ResourceVersions.AnyAsync(v => v.ContentHash != null, ct)
            && await db.ResourceVersions.AnyAsync(v => v.ContentHash == null, ct))
        {
            return new Outcome(true, 0);
        }
        var covered = 0;
        while (true)
        {
            var rows = await db.ResourceVersions.Where(v => v.ContentHash == null)
                .OrderBy(v => v.ResourceType).ThenBy(v => v.ResourceId).ThenBy(v => v.VersionId)
                .Take(VersionsPerRecord).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return new Outcome(false, covered);
            }
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var row in rows) VersionIntegrity.Sealed(row);
            await AuditAppender.AppendAsync(db, [new AuditRecord
            {
                Action = AuditActions.CoverExisting,
                Outcome = AuditOutcome.Success,
                Recorded = now,
                PartnerId = operatorName,
                RequestId = $"cover-existing-{now.UtcTicks}-{covered}",
                Detail = "versions stored before resource coverage, hashed as found",
                Resources = rows.Select(r => new AuditedResource($"{r.ResourceType}/{r.ResourceId}/_history/{r.VersionId}",
                    r.SecurityLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries), r.ContentHash)).ToList(),
            }], ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            covered += rows.Count;
        }
    }
}
