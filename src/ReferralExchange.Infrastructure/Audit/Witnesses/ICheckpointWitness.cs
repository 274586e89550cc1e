using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Witnessing;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// A place outside the database that keeps every signed checkpoint and never lets one be replaced
/// (issue 12 §2): an append-only directory in development, an immutable blob container in
/// production. The database's owner cannot rewrite it, so it is what verification and the
/// gateway's own start-up check compare the trail against.
/// </summary>
public interface ICheckpointWitness
{
    /// <summary>Names the witness in logs and reports (a path or a container URI; never a secret).</summary>
    string Name { get; }

    /// <summary>Fails with <see cref="WitnessUnavailableException"/> unless a checkpoint could be written now.</summary>
    Task EnsureWritableAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Files the note under its tree size, durably, never replacing one already there. The same
    /// checkpoint filed again (a retry, or another gateway instance with its own signature over the
    /// same text) is <see cref="WitnessWrite.AlreadyHeld"/>; a different one for that size throws
    /// <see cref="WitnessForkException"/>.
    /// </summary>
    Task<WitnessWrite> WriteAsync(SignedCheckpoint checkpoint, CancellationToken cancellationToken = default);

    /// <summary>Every note held, in size order.</summary>
    Task<IReadOnlyList<WitnessCopy>> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The note of the largest tree held, or null if none.</summary>
    Task<WitnessCopy?> LatestAsync(CancellationToken cancellationToken = default);
}

public enum WitnessWrite
{
    Written,
    AlreadyHeld,
}
