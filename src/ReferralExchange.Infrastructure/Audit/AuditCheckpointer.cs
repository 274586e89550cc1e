using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Signs the current tree head (size and RFC 9162 root, ADR 0011) as a C2SP checkpoint note with a
/// key the database cannot reach, and stores it. The root comes from the stored complete subtrees,
/// O(log n) rows, whatever the size of the log. After a checkpoint, rewriting or removing any record
/// it covers is detectable, by verification here and by every partner who kept the checkpoint.
/// With witnesses (ADR 0013), nothing is signed unless the tree is consistent with the latest
/// witnessed checkpoint, and each stored checkpoint is then filed with every witness. With several
/// replicas on one database only the holder of the <see cref="CheckpointSignerLease"/> signs (ADR 0020).
/// </summary>
public sealed class AuditCheckpointer(GatewayDbContext db, WriteGate gate, IKeySigner signer, CheckpointOrigin origin, TimeProvider time,
    WitnessedCheckpointing? witnessing = null, CheckpointSignerLease? lease = null)
{
    /// <summary>Records written since the latest checkpoint, and when that checkpoint was signed.</summary>
    public async Task<(long Pending, DateTimeOffset? LastSignedAt)> PendingAsync(CancellationToken ct)
    {
        var head = await db.AuditRecords.AsNoTracking().MaxAsync(r => (long?)r.Sequence, ct) ?? 0;
        var last = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(ct);
        return (head - (last?.Sequence ?? 0), last is null ? null : new DateTimeOffset(last.SignedAtTicks, TimeSpan.Zero));
    }

    /// <summary>
    /// Signs the head if it moved since the last checkpoint. Returns the new checkpoint, or null.
    /// Throws <see cref="CheckpointLeaseHeldException"/> while another replica holds the signer lease.
    /// </summary>
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
        if (lease is not null && !await lease.TryAcquireAsync(db, gate, time.GetUtcNow(), ct))
        {
            throw new CheckpointLeaseHeldException((await CheckpointSignerLease.CurrentAsync(db, ct))?.Until ?? time.GetUtcNow());
        }
        var root = await MerkleProofs.RootAsync(head.Sequence, new AuditTreeStore(db), ct);
        if (witnessing is not null)
        {
            // Throws AuditIntegrityException, before anything is signed, if this is not the witnessed tree grown.
            await witnessing.Guard.EnsureSameRootAsync(head.Sequence, root, ct);
        }
        var signedAt = time.GetUtcNow();
        var (signed, keyId) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(origin.Value, head.Sequence, root), ct);
        var signature = signed.Note.Signatures[0].Signature;

        using var writing = await gate.EnterAsync(ct);
        db.AuditCheckpoints.Add(new AuditCheckpointRow
        {
            Sequence = head.Sequence,
            HeadHash = head.Hash,
            SignedAtTicks = signedAt.UtcTicks,
            KeyId = keyId,
            Signature = signature,
            RootHash = Convert.ToBase64String(root),
            Note = signed.Text,
        });
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (witnessing is not null)
        {
            await witnessing.PublishAsync(signed, ct);
        }
        return new AuditCheckpoint(head.Sequence, head.Hash, signedAt, keyId, signature, signed.Text);
    }
}
