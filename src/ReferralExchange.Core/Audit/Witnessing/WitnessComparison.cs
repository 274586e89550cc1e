namespace ReferralExchange.Core.Audit.Witnessing;

/// <summary>
/// What the database must agree on with the witnesses (issue 12 §4): every witnessed checkpoint is
/// also in the database, with the same root where the database keeps one, and the trail is at least
/// as long as the largest witnessed tree. A database owner can delete and re-sign rows of their
/// own; they cannot remove what a witness holds, so each of these is a rewrite or a truncation.
/// Whether the records still hash to each witnessed root is checked while they stream past
/// (<see cref="Merkle.StreamingRootCheck"/>).
/// </summary>
public static class WitnessComparison
{
    /// <param name="databaseRoots">The database's checkpoints by tree size, with their root if the row keeps one (null on rows that sign the chain head only).</param>
    /// <param name="trailLength">The number of contiguous records the trail holds.</param>
    public static IReadOnlyList<TrailProblem> Compare(WitnessedCheckpointSet witnessed, IReadOnlyDictionary<long, byte[]?> databaseRoots, long trailLength)
    {
        var problems = new List<TrailProblem>();
        foreach (var (size, (checkpoint, witness)) in witnessed.BySize.OrderBy(c => c.Key))
        {
            if (!databaseRoots.TryGetValue(size, out var root))
            {
                problems.Add(new TrailProblem(size, $"the checkpoint of size {size} held by witness {witness} is missing from the database"));
            }
            else if (root is not null && !root.AsSpan().SequenceEqual(checkpoint.Checkpoint.RootHash))
            {
                problems.Add(new TrailProblem(size, $"the database's checkpoint of size {size} has a different root from the one witness {witness} holds"));
            }
        }
        if (witnessed.Latest is { } latest && latest.Checkpoint.Checkpoint.Size > trailLength)
        {
            problems.Add(new TrailProblem(trailLength + 1,
                $"the trail ends at record {trailLength} but witness {latest.Witness} holds a checkpoint of size {latest.Checkpoint.Checkpoint.Size}: records were removed"));
        }
        return problems;
    }

    /// <summary>The reason a recomputed root differs from the witnessed one.</summary>
    public static TrailProblem RootDiffers(Merkle.RootMismatch mismatch, string witness) =>
        new(mismatch.Size, $"records 1 to {mismatch.Size} do not hash to the root witness {witness} holds for size {mismatch.Size}: a record after {mismatch.LastMatchedSize} was rewritten");
}
