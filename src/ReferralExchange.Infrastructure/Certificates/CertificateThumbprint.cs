using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

public static class CertificateThumbprint
{
    /// <summary>SHA-256 over the DER certificate, upper-case hex (the x5t#S256 of RFC 8705 §3.1, hex-encoded).</summary>
    public static string Sha256(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
}
