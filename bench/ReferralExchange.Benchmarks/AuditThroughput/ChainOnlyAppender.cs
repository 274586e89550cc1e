using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// The appender as it was before the Merkle tree (commit 0ceae39^, ADR 0010): the hash chain alone,
/// no tree node rows. Kept here only as the baseline the tree's cost is measured against; the
/// gateway's own is <see cref="ReferralExchange.Infrastructure.Audit.AuditAppender"/>.
/// </summary>
public static class ChainOnlyAppender
{
    public static async Task AppendAsync(GatewayDbContext db, IEnumerable<AuditRecord> records, CancellationToken ct)
    {
        var head = await db.AuditRecords.AsNoTracking()
            .OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash })
            .FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        var previous = head?.Hash ?? AuditChain.Genesis;
        foreach (var record in records)
        {
            sequence++;
            var payload = AuditCanonicalForm.Write(sequence, previous, record);
            var hash = AuditChain.Hash(payload);
            db.AuditRecords.Add(new AuditRecordRow
            {
                Sequence = sequence,
                RecordedTicks = record.Recorded.UtcTicks,
                Action = record.Action,
                Outcome = (int)record.Outcome,
                PartnerId = record.PartnerId,
                PatientId = record.PatientId,
                Payload = payload,
                PreviousHash = previous,
                Hash = hash,
            });
            previous = hash;
        }
    }
}
