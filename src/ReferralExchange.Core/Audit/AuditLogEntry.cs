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

/// <summary>
/// A stored checkpoint: the signed C2SP note over the Merkle tree of the first <see cref="Sequence"/>
/// records (ADR 0011), and the chain head <see cref="HeadHash"/> at that record. A checkpoint from
/// before ADR 0011 has no <see cref="Note"/>: its <see cref="Signature"/> covers the chain head
/// (<see cref="AuditChain.CheckpointDigest"/>).
/// </summary>
public sealed record AuditCheckpoint(long Sequence, string HeadHash, DateTimeOffset SignedAt, string KeyId, byte[] Signature, string? Note = null);
