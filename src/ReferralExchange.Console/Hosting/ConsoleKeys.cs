using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Hosting;

/// <summary>
/// The keys that let one console replica accept what another made (ADR 0024): the people's
/// OpenIddict server signs identity tokens and encrypts authorization codes, its client encrypts
/// the state it round-trips through the browser, and ASP.NET Core Data Protection protects the
/// session, sign-in and antiforgery cookies. Loaded the way the gateway loads its token-signing key
/// (a file beside the certificates, the same for every replica; Key Vault delivers it as a file
/// through its CSI driver or App Service references, docs/deploy.md), but never invented in
/// production: a replica with a key of its own would refuse its siblings' codes and cookies.
/// Development makes them under the data directory on first start, so restarts keep sessions.
/// </summary>
public sealed record ConsoleKeys(SecurityKey Signing, SecurityKey Encryption, X509Certificate2? DataProtection)
{
    public const string SigningFile = "console-signing.key";
    public const string EncryptionFile = "console-encryption.key";

    public static ConsoleKeys Load(ConsoleOptions options, GatewayPaths paths, bool development)
    {
        var folder = development ? paths.DataDirectory : paths.CertificatesDirectory;
        var signingPath = paths.Resolve(options.SigningKeyPath ?? Path.Combine(folder, SigningFile));
        var encryptionPath = paths.Resolve(options.EncryptionKeyPath ?? Path.Combine(folder, EncryptionFile));
        var signing = StartupCheck.Run("Console:SigningKeyPath", "The console's signing key cannot be loaded",
            () => LoadSigningKey(Existing(signingPath, "Console:SigningKeyPath", development, () => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem())));
        var encryption = StartupCheck.Run("Console:EncryptionKeyPath", "The console's encryption key cannot be loaded",
            () => LoadEncryptionKey(Existing(encryptionPath, "Console:EncryptionKeyPath", development, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))));
        X509Certificate2? dataProtection = null;
        if (options.DataProtection.CertificatePath is { Length: > 0 } certificatePath)
        {
            dataProtection = StartupCheck.Run("Console:DataProtection:CertificatePath, Console:DataProtection:CertificatePassword", "The console's Data Protection certificate cannot be loaded",
                () => LoadDataProtectionCertificate(paths.Resolve(certificatePath), options.DataProtection.CertificatePassword));
        }
        else if (!development)
        {
            throw new GatewayStartupException("Console:DataProtection:CertificatePath is required in production mode (Gateway:DevelopmentCertificates=false): the cookie keys in the accounts database must be encrypted at rest");
        }
        return new ConsoleKeys(signing, encryption, dataProtection);
    }

    /// <summary>The file's text; in development a missing file is made (owner-only), in production it is a refusal naming the setting.</summary>
    private static string Existing(string path, string setting, bool development, Func<string> create)
    {
        if (File.Exists(path)) return File.ReadAllText(path);
        if (!development)
        {
            throw new GatewayStartupException($"{setting}: {path} does not exist; every console replica needs the same key file (deploy/prepare.sh makes one)");
        }
        var text = create();
        OwnerOnlyFiles.CreateDirectory(Path.GetDirectoryName(path)!);
        // Created 0600 before a byte of the key is written.
        OwnerOnlyFiles.CreateFile(path);
        File.WriteAllText(path, text);
        return text;
    }

    private static SecurityKey LoadSigningKey(string pem)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256) throw new InvalidOperationException("the signing key must be an EC P-256 private key (ES256)");
        // A key id from the public key: the same on every replica, so a JWKS from any of them names it.
        return new ECDsaSecurityKey(key) { KeyId = Convert.ToHexString(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16] };
    }

    private static SecurityKey LoadEncryptionKey(string base64)
    {
        var bytes = Convert.FromBase64String(base64.Trim());
        if (bytes.Length != 32) throw new InvalidOperationException("the encryption key must be 32 random bytes, base64 (openssl rand -base64 32)");
        return new SymmetricSecurityKey(bytes) { KeyId = Convert.ToHexString(SHA256.HashData(bytes))[..16] };
    }

    private static X509Certificate2 LoadDataProtectionCertificate(string path, string? password)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        if (certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException("the Data Protection certificate must carry an RSA private key");
        }
        return certificate;
    }
}
