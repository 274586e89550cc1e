namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// One audit record: the canonical payload that is hashed, its chain links, and copies of a few
/// fields for querying (verification checks they match the payload). Insert-only: the database
/// refuses UPDATE and DELETE (SQLite triggers; a SQL Server append-only ledger table).
/// </summary>
public sealed class AuditRecordRow
{
    public long Sequence { get; set; }
    public long RecordedTicks { get; set; }
    public required string Action { get; set; }
    public int Outcome { get; set; }
    public required string PartnerId { get; set; }
    public string? PatientId { get; set; }
    public required byte[] Payload { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}
