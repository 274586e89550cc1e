namespace ReferralExchange.Core.Audit;

/// <summary>
/// Recomputes the chain and checks every checkpoint signature; reports the first broken record and
/// why. Streaming and allocation-light: it holds one record at a time, so it runs at the speed of
/// SHA-256 and the database cursor.
/// </summary>
public sealed class AuditVerifier(IKeySigner signer)
{
    /// <param name="entries">Rows in ascending sequence order, starting at <paramref name="firstSequence"/>.</param>
    /// <param name="checkpoints">The checkpoints covering those rows; every signature is checked.</param>
    /// <param name="firstSequence">1 for a full run; for an incremental run, the latest checkpoint's record.</param>
    /// <param name="expectedPrevious">The predecessor hash of the first row; null when starting mid-chain at a checkpointed record.</param>
    public async Task<AuditVerificationReport> VerifyAsync(IAsyncEnumerable<AuditLogEntry> entries, IReadOnlyList<AuditCheckpoint> checkpoints,
        long firstSequence = 1, string? expectedPrevious = null, CancellationToken ct = default)
    {
        var bySequence = checkpoints.ToDictionary(c => c.Sequence);
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            var digest = AuditChain.CheckpointDigest(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.SignedAt, checkpoint.KeyId);
            if (!await signer.VerifyDigestAsync(checkpoint.KeyId, digest, checkpoint.Signature, ct))
            {
                return AuditVerificationReport.Broken(0, checkpoints.Count, checkpoint.Sequence,
                    $"checkpoint at record {checkpoint.Sequence}: signature does not verify with key {checkpoint.KeyId}");
            }
        }

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

    private static string? Check(AuditLogEntry entry, long expectedSequence, string? expectedPrevious)
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
