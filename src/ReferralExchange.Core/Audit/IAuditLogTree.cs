using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Audit;

/// <summary>The stored Merkle tree of the audit log and its signed checkpoints, as proofs need them (ADR 0011).</summary>
public interface IAuditLogTree : ITreeNodeSource
{
    /// <summary>The newest checkpoint that carries a signed note, or null before the first one.</summary>
    Task<(long TreeSize, string Note)?> LatestCheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>The canonical bytes of record <paramref name="sequence"/> as stored (its leaf is SHA-256(0x00 || these)).</summary>
    Task<byte[]?> CanonicalRecordAsync(long sequence, CancellationToken cancellationToken = default);
}
