using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// What <see cref="AuditCheckpointer"/> calls around signing: first the tree head, shown consistent
/// with the witnesses (or an <see cref="AuditIntegrityException"/>: nothing is signed), then, once
/// the checkpoint is stored, its C2SP note (c2sp.org/tlog-checkpoint) signed and filed with every witness.
/// </summary>
public sealed class WitnessedCheckpointing(AuditIntegrityGuard guard, WitnessPublisher publisher, IKeySigner signer, Func<string> origin)
{
    public AuditIntegrityGuard Guard => guard;

    public Task<byte[]> TreeHeadAsync(long size, CancellationToken ct) => guard.TreeHeadAsync(size, ct);

    /// <summary>Signs (size, root) as a checkpoint note and files it; true once every witness holds it.</summary>
    public async Task<bool> SignAndPublishAsync(long size, byte[] root, CancellationToken ct)
    {
        var (signed, _) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(origin(), size, root), ct);
        return await publisher.PublishAsync(signed, ct);
    }

    /// <summary>For a checkpoint signed elsewhere: files it; true once every witness holds it.</summary>
    public Task<bool> PublishAsync(SignedCheckpoint signed, CancellationToken ct) => publisher.PublishAsync(signed, ct);
}
