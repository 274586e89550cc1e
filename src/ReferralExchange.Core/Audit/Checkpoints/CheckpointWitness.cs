using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>What a witness concluded about a new checkpoint: accepted (to be stored), or refused and why.</summary>
public sealed record WitnessVerdict(bool Accepted, string Reason, SignedCheckpoint? Checkpoint);

/// <summary>
/// The witness rule (ADR 0011; C2SP tlog-checkpoint "Signatures": a log must never sign two
/// inconsistent checkpoints): a new checkpoint is accepted only if the log's key signed it, its
/// origin is the log's, and it extends the last one this witness accepted — same root at the same
/// size, or an RFC 9162 consistency proof from the old size that verifies. A rewritten, forked or
/// shortened log cannot pass. The caller keeps the accepted checkpoint where the log's operator
/// cannot write.
/// </summary>
public sealed class CheckpointWitness(EcdsaNoteKey logKey)
{
    public delegate Task<IReadOnlyList<byte[]>> ConsistencyProofSource(long oldSize, long newSize, CancellationToken ct);

    public async Task<WitnessVerdict> CheckAsync(SignedCheckpoint? accepted, string newNote, ConsistencyProofSource proofs, CancellationToken ct)
    {
        SignedCheckpoint next;
        try
        {
            next = SignedCheckpoint.Parse(newNote);
        }
        catch (CheckpointFormatException e)
        {
            return Refuse($"not a checkpoint: {e.Message}");
        }
        if (next.Checkpoint.Origin != logKey.Name)
        {
            return Refuse($"the checkpoint is for origin '{next.Checkpoint.Origin}', not '{logKey.Name}'");
        }
        if (!next.VerifiedBy(logKey))
        {
            return Refuse("the checkpoint is not signed by the log's key");
        }
        if (accepted is null)
        {
            return new WitnessVerdict(true, $"first checkpoint: tree of {next.Checkpoint.Size} records", next);
        }
        var (oldSize, oldRoot) = (accepted.Checkpoint.Size, accepted.Checkpoint.RootHash);
        var (newSize, newRoot) = (next.Checkpoint.Size, next.Checkpoint.RootHash);
        if (newSize < oldSize)
        {
            return Refuse($"the log shrank: {newSize} records now, {oldSize} witnessed before (records were removed)");
        }
        if (newSize == oldSize)
        {
            return newRoot.AsSpan().SequenceEqual(oldRoot)
                ? new WitnessVerdict(true, $"unchanged: tree of {newSize} records", next)
                : Refuse($"two different roots for the same {newSize} records (the log was rewritten or forked)");
        }
        var proof = await proofs(oldSize, newSize, ct);
        return MerkleVerifier.VerifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)
            ? new WitnessVerdict(true, $"consistent: tree grew from {oldSize} to {newSize} records", next)
            : Refuse($"the tree of {newSize} records is not consistent with the witnessed tree of {oldSize} (the log was rewritten)");
    }

    private static WitnessVerdict Refuse(string reason) => new(false, reason, null);
}
