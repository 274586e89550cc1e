using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Adds audit records to the chain inside the caller's open transaction, after the current head.
/// Callers hold the write gate, so the head cannot move underneath; on a server database the
/// unique index on PreviousHash turns a race into a failed (retryable) transaction, never a fork.
/// </summary>
public static class AuditAppender
{
    public static async Task AppendAsync(GatewayDbContext db, IEnumerable<AuditRecord> records, CancellationToken ct)
    {
        if (db.Database.IsSqlServer())
        {
            // Several gateway instances may share a SQL Server: an exclusive application lock held
            // until the transaction ends serialises chain appends across all of them.
            await db.Database.ExecuteSqlRawAsync("EXEC sp_getapplock @Resource = 'rx-audit-chain', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 30000;", ct);
        }
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
