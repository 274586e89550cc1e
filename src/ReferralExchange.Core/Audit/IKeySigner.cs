namespace ReferralExchange.Core.Audit;

/// <summary>
/// Signs audit checkpoints with a key the database cannot reach: a local key file in development,
/// an Azure Key Vault key in production. Signatures are ES256 (ECDSA P-256, IEEE P1363 r||s).
/// </summary>
public interface IKeySigner
{
    /// <summary>Identifies the key (and version) a signature was made with; stored with the checkpoint.</summary>
    string KeyId { get; }

    Task<byte[]> SignDigestAsync(byte[] sha256Digest, CancellationToken cancellationToken = default);

    /// <summary>The DER SubjectPublicKeyInfo of the key named by <paramref name="keyId"/>, or null if it is not one of ours.</summary>
    /// <remarks>Checkpoint notes carry a key ID derived from it (c2sp.org/signed-note, type 0x02); witnesses verify with it.</remarks>
    Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Verifies with the public key named by <paramref name="keyId"/>.</summary>
    Task<bool> VerifyDigestAsync(string keyId, byte[] sha256Digest, byte[] signature, CancellationToken cancellationToken = default);
}
