namespace ReferralExchange.Core.Audit;

/// <summary>
/// Records that cannot wait: the audit record of a request refused because the database is busy or
/// unavailable (issue 13 §4). Waiting for the database to record "the database was busy" would hang
/// the very request being refused; the record is queued and written when the database is back, and
/// if it never can be (the queue is full, the gateway stops, the file is gone) it is logged instead.
/// </summary>
public interface IDeferredAuditTrail
{
    void RecordLater(AuditRecord record);
}
