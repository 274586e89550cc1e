using System.Security.Cryptography;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.Infrastructure.Audit.Signing;

/// <summary>
/// Development signer: an ECDSA P-256 key in a PEM file outside the database (created in
/// <c>certs-dev/</c> on first run, git-ignored). ES256 with IEEE P1363 signatures, as Key Vault.
/// </summary>
public sealed class LocalKeySigner : IKeySigner, IDisposable
{
    private readonly ECDsa _key;

    private LocalKeySigner(ECDsa key)
    {
        _key = key;
        KeyId = "local:" + Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16].ToLowerInvariant();
    }

    public string KeyId { get; }

    public static LocalKeySigner LoadOrCreate(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        return new LocalKeySigner(key);
    }

    public Task<byte[]> SignDigestAsync(byte[] sha256Digest, CancellationToken ct) =>
        Task.FromResult(_key.SignHash(sha256Digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken ct) =>
        Task.FromResult(keyId == KeyId ? _key.ExportSubjectPublicKeyInfo() : null);

    public Task<bool> VerifyDigestAsync(string keyId, byte[] sha256Digest, byte[] signature, CancellationToken ct) =>
        Task.FromResult(keyId == KeyId && _key.VerifyHash(sha256Digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public void Dispose() => _key.Dispose();
}
