using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Signs the current chain head with a key the database cannot reach and stores the checkpoint.
/// After a checkpoint, removing records from the end of the trail is detectable.
/// With witnesses (issue 12 §2, §5), nothing is signed unless the tree is consistent with the latest
/// witnessed checkpoint, and each stored checkpoint is then filed with every witness.
/// </summary>
public sealed class AuditCheckpointer(GatewayDbContext db, WriteGate gate, IKeySigner signer, TimeProvider time, WitnessedCheckpointing? witnessing = null)
{
    /// <summary>Records written since the latest checkpoint, and when that checkpoint was signed.</summary>
    public async Task<(long Pending, DateTimeOffset? LastSignedAt)> PendingAsync(CancellationToken ct)
    {
        var head = await db.AuditRecords.AsNoTracking().MaxAsync(r => (long?)r.Sequence, ct) ?? 0;
        var last = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        return (head - (last?.Sequence ?? 0), last is null ? null : new DateTimeOffset(last.SignedAtTicks, TimeSpan.Zero));
    }

    /// <summary>Signs the head if it moved since the last checkpoint. Returns the new checkpoint, or null.</summary>
    public async Task<AuditCheckpoint?> CheckpointAsync(CancellationToken ct)
    {
        // The head record is immutable once committed: it can be read and signed without the write
        // gate, so a slow Key Vault never holds up requests.
        var head = await db.AuditRecords.AsNoTracking()
            .OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash })
            .FirstOrDefaultAsync(ct);
        if (head is null || await db.AuditCheckpoints.AsNoTracking().AnyAsync(c => c.Sequence >= head.Sequence, ct))
        {
            return null;
        }
        // Throws AuditIntegrityException, before anything is signed, if the tree is not the witnessed one grown.
        var root = witnessing is null ? null : await witnessing.TreeHeadAsync(head.Sequence, ct);
        var signedAt = time.GetUtcNow();
        var keyId = signer.KeyId;
        var signature = await signer.SignDigestAsync(AuditChain.CheckpointDigest(head.Sequence, head.Hash, signedAt, keyId), ct);

        using var writing = await gate.EnterAsync(ct);
        db.AuditCheckpoints.Add(new AuditCheckpointRow
        {
            Sequence = head.Sequence,
            HeadHash = head.Hash,
            SignedAtTicks = signedAt.UtcTicks,
            KeyId = keyId,
            Signature = signature,
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (root is not null)
        {
            await witnessing!.SignAndPublishAsync(head.Sequence, root, ct);
        }
        return new AuditCheckpoint(head.Sequence, head.Hash, signedAt, keyId, signature);
    }
}
