namespace ReferralExchange.Core.Audit;

/// <summary>One stored audit row as verification sees it: the hashed payload, the stored hashes and the query columns.</summary>
public sealed record AuditLogEntry(
    long Sequence,
    byte[] Payload,
    string PreviousHash,
    string Hash,
    long RecordedTicks,
    string PartnerId,
    string? PatientId,
    string Action,
    int Outcome);

/// <summary>A signed statement that the chain's record <see cref="Sequence"/> had hash <see cref="HeadHash"/>.</summary>
public sealed record AuditCheckpoint(long Sequence, string HeadHash, DateTimeOffset SignedAt, string KeyId, byte[] Signature);
