namespace ReferralExchange.Core.Audit;

/// <summary>
/// The append-only, hash-chained audit trail. <see cref="RecordAsync"/> appends in its own
/// transaction (reads are recorded before their data leaves); changes pass their record to the
/// store, which appends it in the same transaction as the change. If appending fails, the
/// interaction fails.
/// </summary>
public interface IAuditTrail
{
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Appends several records (e.g. consent decisions and the read they allowed) in one transaction.</summary>
    Task RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);
}
