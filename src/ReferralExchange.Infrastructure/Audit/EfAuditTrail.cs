using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Appends audit records of reads and refusals (nothing else changes) through the group commit:
/// the records of every request in flight share one transaction, and this returns only once they
/// are durable, so a read's data never leaves before its record (ADR 0010).
/// </summary>
public sealed class EfAuditTrail(GroupCommit commit) : IAuditTrail
{
    public Task RecordAsync(AuditRecord record, CancellationToken ct) => RecordAsync([record], ct);

    public async Task RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        await commit.RunAsync((db, token) => AuditAppender.AppendAsync(db, records, token), ct);
        Telemetry.GatewayMetrics.RecordDurable(records);
    }
}
