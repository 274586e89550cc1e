namespace ReferralExchange.Core.Audit;

/// <summary>One stored audit row as verification sees it: the hashed payload, the stored hashes and the query columns.</summary>
/// <param name="Unreadable">
/// Why the row's columns could not be read as the gateway writes them (a NULL, a column re-typed by
/// hand): verification reports it as broken at this record instead of failing itself.
/// </param>
public sealed record AuditLogEntry(
    long Sequence,
    byte[] Payload,
    string PreviousHash,
    string Hash,
    long RecordedTicks,
    string PartnerId,
    string? PatientId,
    string Action,
    int Outcome,
    string? Unreadable = null);

/// <summary>A signed statement that the chain's record <see cref="Sequence"/> had hash <see cref="HeadHash"/>.</summary>
public sealed record AuditCheckpoint(long Sequence, string HeadHash, DateTimeOffset SignedAt, string KeyId, byte[] Signature);
