using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>Audit trail queries over the denormalised columns; records are read back from their hashed payload.</summary>
public sealed class EfAuditQuery(GatewayDbContext db) : IAuditQuery
{
    public async Task<(int Total, IReadOnlyList<(long Sequence, AuditRecord Record)> Page)> ListAsync(
        string? partnerId, string? patientId, IReadOnlyCollection<string>? actions, bool successOnly,
        string? excludePartnerId, int offset, int count, CancellationToken ct)
    {
        var rows = db.AuditRecords.AsNoTracking();
        if (partnerId is not null) rows = rows.Where(r => r.PartnerId == partnerId);
        if (patientId is not null) rows = rows.Where(r => r.PatientId == patientId);
        if (actions is not null)
        {
            var list = actions.ToList();
            rows = rows.Where(r => list.Contains(r.Action));
        }
        if (successOnly) rows = rows.Where(r => r.Outcome == 0);
        if (excludePartnerId is not null) rows = rows.Where(r => r.PartnerId != excludePartnerId);

        var total = await rows.CountAsync(ct);
        var page = await rows.OrderBy(r => r.Sequence).Skip(offset).Take(count)
            .Select(r => new { r.Sequence, r.Payload })
            .ToListAsync(ct);
        return (total, page.Select(p => (p.Sequence, AuditCanonicalForm.Read(p.Payload).Record)).ToList());
    }

    public async Task<(long Sequence, AuditRecord Record)?> FindAsync(long sequence, CancellationToken ct)
    {
        var row = await db.AuditRecords.AsNoTracking().Where(r => r.Sequence == sequence).Select(r => new { r.Sequence, r.Payload }).FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Sequence, AuditCanonicalForm.Read(row.Payload).Record);
    }
}
