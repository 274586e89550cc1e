using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.Core.Audit.Witnessing;

/// <summary>
/// The checkpoints the witnesses hold, each read and its signature checked with the gateway's key:
/// a note whose signature does not verify must be ignored (c2sp.org/signed-note), and here it is
/// also reported, since nobody but the key holder should have been able to file it. Two witnesses
/// holding different roots for one size is a fork (RFC 9162 §8.1.4's split view).
/// </summary>
public sealed class WitnessedCheckpointSet
{
    private readonly Dictionary<long, (SignedCheckpoint Checkpoint, string Witness)> _bySize = [];
    private readonly List<TrailProblem> _problems = [];

    /// <param name="publicKey">The DER SubjectPublicKeyInfo of the gateway's checkpoint key; the key name is each note's origin.</param>
    public WitnessedCheckpointSet(IEnumerable<WitnessCopy> copies, byte[] publicKey)
    {
        foreach (var copy in copies.OrderBy(c => c.Size))
        {
            SignedCheckpoint checkpoint;
            try
            {
                checkpoint = SignedCheckpoint.Parse(copy.Note);
            }
            catch (CheckpointFormatException error)
            {
                _problems.Add(new TrailProblem(copy.Size, $"witness {copy.Witness} holds an unreadable checkpoint for size {copy.Size} ({error.Message})"));
                continue;
            }
            if (checkpoint.Checkpoint.Size != copy.Size)
            {
                _problems.Add(new TrailProblem(copy.Size, $"witness {copy.Witness} files a checkpoint of size {checkpoint.Checkpoint.Size} under size {copy.Size}"));
                continue;
            }
            if (!Verifies(checkpoint, publicKey))
            {
                _problems.Add(new TrailProblem(copy.Size, $"witness {copy.Witness} holds a checkpoint for size {copy.Size} whose signature does not verify with the gateway's key"));
                continue;
            }
            if (_bySize.TryGetValue(copy.Size, out var earlier))
            {
                if (!earlier.Checkpoint.Checkpoint.RootHash.AsSpan().SequenceEqual(checkpoint.Checkpoint.RootHash))
                {
                    _problems.Add(new TrailProblem(copy.Size, $"witnesses {earlier.Witness} and {copy.Witness} hold different roots for size {copy.Size}: the log forked"));
                }
                continue;
            }
            _bySize[copy.Size] = (checkpoint, copy.Witness);
        }
    }

    /// <summary>Checkpoints whose signature verified, by tree size.</summary>
    public IReadOnlyDictionary<long, (SignedCheckpoint Checkpoint, string Witness)> BySize => _bySize;

    /// <summary>Unreadable, unsigned or conflicting copies.</summary>
    public IReadOnlyList<TrailProblem> Problems => _problems;

    public IReadOnlyDictionary<long, byte[]> Roots => _bySize.ToDictionary(c => c.Key, c => c.Value.Checkpoint.Checkpoint.RootHash);

    public (SignedCheckpoint Checkpoint, string Witness)? Latest => _bySize.Count == 0 ? null : _bySize[_bySize.Keys.Max()];

    public static bool Verifies(SignedCheckpoint checkpoint, byte[] publicKey)
    {
        try
        {
            return checkpoint.VerifiedBy(new EcdsaNoteKey(checkpoint.Checkpoint.Origin, publicKey));
        }
        catch (Exception error) when (error is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
