namespace ReferralExchange.Core.Audit.Witnessing;

/// <summary>A signed checkpoint note as one witness holds it, filed under the tree size <see cref="Size"/>.</summary>
/// <param name="Witness">Names the witness in reports (a directory path, a container URI: never a secret).</param>
public sealed record WitnessCopy(string Witness, long Size, string Note);

/// <summary>One reason the trail cannot be vouched for, at the record (tree size) it concerns.</summary>
public sealed record TrailProblem(long Record, string Reason);
