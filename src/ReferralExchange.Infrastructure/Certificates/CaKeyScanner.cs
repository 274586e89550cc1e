using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// Finds certificate-authority private keys in folders the gateway reads. A production gateway
/// needs the partner CA's certificate, never its key: with the key, anyone who can read the
/// gateway's files can mint a partner identity. Found: a file named <c>ca.key</c>; a PEM private
/// key whose public key is that of a CA certificate (the configured anchors, or a CA certificate
/// lying in the folder); a PKCS#12 file without password holding a CA certificate with its key.
/// Encrypted keys and protected PKCS#12 files cannot be inspected and are not reported.
/// </summary>
public static class CaKeyScanner
{
    private const long LargestInspected = 256 * 1024;

    public static IReadOnlyList<string> Find(IEnumerable<string> directories, IEnumerable<X509Certificate2> caCertificates)
    {
        var files = directories.Where(Directory.Exists).Distinct()
            .SelectMany(d => Directory.EnumerateFiles(d, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true }))
            .Distinct()
            .Where(f => new FileInfo(f).Length <= LargestInspected)
            .ToList();
        var caKeys = caCertificates.Concat(files.SelectMany(CaCertificatesIn))
            .Select(c => Convert.ToHexString(c.PublicKey.ExportSubjectPublicKeyInfo()))
            .ToHashSet();
        return files.Where(f => IsCaKey(f, caKeys)).ToList();
    }

    private static bool IsCaKey(string path, HashSet<string> caPublicKeys)
    {
        if (Path.GetFileName(path).Equals("ca.key", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".key" or ".pem" => PublicKeyOfPem(path) is { } key && caPublicKeys.Contains(key),
            ".pfx" or ".p12" => Pkcs12(path).Any(c => c.HasPrivateKey && IsCa(c)),
            _ => false,
        };
    }

    private static string? PublicKeyOfPem(string path)
    {
        var pem = File.ReadAllText(path);
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal) || pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            return null;
        }
        foreach (var algorithm in new Func<AsymmetricAlgorithm>[] { ECDsa.Create, RSA.Create })
        {
            using var key = algorithm();
            try
            {
                key.ImportFromPem(pem);
                return Convert.ToHexString(key.ExportSubjectPublicKeyInfo());
            }
            catch (CryptographicException)
            {
                // Another algorithm's key, or not a key at all.
            }
            catch (ArgumentException)
            {
                // No PEM this algorithm understands.
            }
        }
        return null;
    }

    private static IEnumerable<X509Certificate2> CaCertificatesIn(string path)
    {
        if (Path.GetExtension(path).ToLowerInvariant() is not (".crt" or ".pem" or ".cer"))
        {
            return [];
        }
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Where(IsCa).ToList();
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    private static IEnumerable<X509Certificate2> Pkcs12(string path)
    {
        try
        {
            return X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password: null);
        }
        catch (CryptographicException)
        {
            return [];
        }
    }

    private static bool IsCa(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);
}
