using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// What <see cref="AuditCheckpointer"/> calls around signing: first the tree head, shown consistent
/// with the witnesses (or an <see cref="AuditIntegrityException"/>: nothing is signed), then, once
/// the checkpoint is stored, its C2SP note (c2sp.org/tlog-checkpoint) signed and filed with every witness.
/// </summary>
public sealed class WitnessedCheckpointing(AuditIntegrityGuard guard, WitnessPublisher publisher)
{
    public AuditIntegrityGuard Guard => guard;

    public Task<byte[]> TreeHeadAsync(long size, CancellationToken ct) => guard.TreeHeadAsync(size, ct);

    /// <summary>Files a stored, signed checkpoint with every witness; true once every witness holds it.</summary>
    public Task<bool> PublishAsync(SignedCheckpoint signed, CancellationToken ct) => publisher.PublishAsync(signed, ct);
}
