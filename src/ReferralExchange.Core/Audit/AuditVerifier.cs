using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Recomputes the chain and the Merkle tree (ADR 0011) and checks every checkpoint's signature and,
/// at its size, its root; reports the first broken record and why. Streaming and allocation-light:
/// it holds one record and the O(log n) tree frontier at a time, so it runs at the speed of SHA-256
/// and the database cursor.
/// </summary>
public sealed class AuditVerifier(IKeySigner signer)
{
    /// <param name="entries">Rows in ascending sequence order, starting at <paramref name="firstSequence"/>.</param>
    /// <param name="checkpoints">The checkpoints covering those rows; every signature is checked.</param>
    /// <param name="firstSequence">1 for a full run; for an incremental run, the latest checkpoint's record.</param>
    /// <param name="expectedPrevious">The predecessor hash of the first row; null when starting mid-chain at a checkpointed record.</param>
    /// <param name="tree">The stored tree of the records before <paramref name="firstSequence"/> (incremental runs); it is
    /// trusted only because the root at the first checkpoint reached must then match the signed one.</param>
    public async Task<AuditVerificationReport> VerifyAsync(IAsyncEnumerable<AuditLogEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints,
        long firstSequence = 1, string? expectedPrevious = null, CancellationToken ct = default, CompactRange? tree = null)
    {
        var bySequence = checkpoints.ToDictionary(c => c.Sequence);
        var signedRoots = new Dictionary<long, byte[]>();
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            var (root, problem) = await CheckSignatureAsync(checkpoint, ct);
            if (problem is not null)
            {
                return AuditVerificationReport.Broken(0, checkpoints.Count, checkpoint.Sequence, problem);
            }
            if (root is not null)
            {
                signedRoots[checkpoint.Sequence] = root;
            }
        }
        tree ??= new CompactRange();

        var expectedSequence = firstSequence;
        if (firstSequence == 1)
        {
            expectedPrevious = AuditChain.Genesis;
        }
        long checkedCount = 0;
        await foreach (var entry in entries.WithCancellation(ct))
        {
            var problem = Check(entry, expectedSequence, expectedPrevious);
            if (problem is not null)
            {
                // A gap names the missing record; anything else names the record found wanting.
                var broken = entry.Sequence > expectedSequence || entry.Sequence < 0 ? expectedSequence : entry.Sequence;
                return AuditVerificationReport.Broken(checkedCount, checkpoints.Count, broken, problem);
            }
            if (bySequence.TryGetValue(entry.Sequence, out var checkpoint) && checkpoint.HeadHash != entry.Hash)
            {
                return AuditVerificationReport.Broken(checkedCount, checkpoints.Count, entry.Sequence,
                    $"record {entry.Sequence}: hash differs from the signed checkpoint (the chain was rewritten)");
            }
            // RFC 9162 §2.1.1: the leaf is the stored canonical bytes; the root at a checkpoint's size must be the signed one.
            // A resumed run may be handed a tree that already holds the record it re-reads first.
            if (tree.Size < entry.Sequence)
            {
                tree.Append(MerkleHash.Leaf(entry.Payload));
            }
            if (signedRoots.TryGetValue(entry.Sequence, out var signedRoot) && !tree.Root().AsSpan().SequenceEqual(signedRoot))
            {
                return AuditVerificationReport.Broken(checkedCount, checkpoints.Count, entry.Sequence,
                    $"record {entry.Sequence}: the Merkle root of records 1..{entry.Sequence} differs from the signed checkpoint (the log was rewritten)");
            }
            checkedCount++;
            expectedSequence = entry.Sequence + 1;
            expectedPrevious = entry.Hash;
        }

        var last = expectedSequence - 1;
        var latestCheckpoint = checkpoints.Count == 0 ? null : checkpoints.MaxBy(c => c.Sequence);
        if (latestCheckpoint is not null && latestCheckpoint.Sequence > last)
        {
            return AuditVerificationReport.Broken(checkedCount, checkpoints.Count, last + 1,
                $"the trail ends at record {last} but a signed checkpoint covers record {latestCheckpoint.Sequence}: records were removed from the end");
        }
        return AuditVerificationReport.Intact(checkedCount, checkpoints.Count, last);
    }

    /// <returns>The signed root (null for a checkpoint from before ADR 0011), or why the checkpoint fails.</returns>
    private async Task<(byte[]? Root, string? Problem)> CheckSignatureAsync(AuditCheckpoint checkpoint, CancellationToken ct)
    {
        var at = $"checkpoint at record {checkpoint.Sequence}";
        if (checkpoint.Note is null)
        {
            var digest = AuditChain.CheckpointDigest(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.SignedAt, checkpoint.KeyId);
            return await signer.VerifyDigestAsync(checkpoint.KeyId, digest, checkpoint.Signature, ct)
                ? (null, null)
                : (null, $"{at}: signature does not verify with key {checkpoint.KeyId}");
        }
        SignedCheckpoint signed;
        try
        {
            signed = SignedCheckpoint.Parse(checkpoint.Note);
        }
        catch (CheckpointFormatException e)
        {
            return (null, $"{at}: not a checkpoint note ({e.Message})");
        }
        if (await signer.PublicKeyAsync(checkpoint.KeyId, ct) is not { } publicKey)
        {
            return (null, $"{at}: signed with key {checkpoint.KeyId}, which is not the audit key");
        }
        // The key name is the origin the note carries: the trust is in the key, which is ours.
        if (!signed.VerifiedBy(new EcdsaNoteKey(signed.Checkpoint.Origin, publicKey)))
        {
            return (null, $"{at}: signature does not verify with key {checkpoint.KeyId}");
        }
        // The signature column is the note's own signature, kept for queries; it must not drift from it.
        if (!signed.Note.Signatures.Any(n => n.Signature.AsSpan().SequenceEqual(checkpoint.Signature)))
        {
            return (null, $"{at}: the stored signature is not the note's signature (edited)");
        }
        if (signed.Checkpoint.Size != checkpoint.Sequence)
        {
            return (null, $"{at}: the note signs a tree of {signed.Checkpoint.Size} records (moved)");
        }
        return (signed.Checkpoint.RootHash, null);
    }

    /// <summary>
    /// One record against its place in the chain: sequence, readable columns, its hash, its link to
    /// <paramref name="expectedPrevious"/> (null: not checked), and the query columns against its
    /// hashed content. Null when it holds, else why not, naming the record. Never throws on content.
    /// </summary>
    public static string? Check(AuditLogEntry entry, long expectedSequence, string? expectedPrevious)
    {
        if (entry.Sequence < 0)
            return $"a record without a readable sequence number follows record {expectedSequence - 1}: {entry.Unreadable}";
        if (entry.Sequence > expectedSequence)
            return $"record {expectedSequence} is missing (deleted) before record {entry.Sequence}";
        if (entry.Sequence < expectedSequence)
            return $"record {entry.Sequence} appears out of order or twice";
        if (entry.Unreadable is not null)
            return $"record {entry.Sequence}: {entry.Unreadable}";
        if (!IsHashText(entry.Hash) || !IsHashText(entry.PreviousHash))
            return $"record {entry.Sequence}: its hash columns are not SHA-256 hex (edited)";
        if (AuditChain.Hash(entry.Payload) != entry.Hash)
            return $"record {entry.Sequence}: content does not match its hash (edited)";
        if (expectedPrevious is not null && entry.PreviousHash != expectedPrevious)
            return $"record {entry.Sequence}: does not chain to record {expectedSequence - 1} (inserted, reordered or its predecessor was rewritten)";

        long payloadSequence;
        string payloadPrevious;
        AuditRecord record;
        try
        {
            (payloadSequence, payloadPrevious, record) = AuditCanonicalForm.Read(entry.Payload);
        }
        // Whatever a forger (or a disk) put in the payload, verification reports the record, never
        // fails itself (issue 12, point 4): ArgumentException covers a JSON null where a date belongs.
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException
            or ArgumentException or OverflowException)
        {
            return $"record {entry.Sequence}: content is not a readable audit record";
        }
        if (payloadSequence != entry.Sequence || payloadPrevious != entry.PreviousHash)
            return $"record {entry.Sequence}: its position columns differ from its hashed content (moved)";
        if (record.PartnerId != entry.PartnerId || record.PatientId != entry.PatientId || record.Action != entry.Action
            || record.Recorded.UtcTicks != entry.RecordedTicks || (int)record.Outcome != entry.Outcome)
            return $"record {entry.Sequence}: a query column differs from its hashed content (edited)";
        return null;
    }

    private static bool IsHashText(string value)
    {
        if (value.Length != 64) return false;
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'A' and <= 'F'))) return false;
        }
        return true;
    }
}

public sealed record AuditVerificationReport(bool IsIntact, long RecordsChecked, int CheckpointsChecked, long? FirstBrokenSequence, string? Reason, long? LastSequence)
{
    public static AuditVerificationReport Intact(long records, int checkpoints, long last) => new(true, records, checkpoints, null, null, last);

    public static AuditVerificationReport Broken(long records, int checkpoints, long sequence, string reason) => new(false, records, checkpoints, sequence, reason, null);
}
