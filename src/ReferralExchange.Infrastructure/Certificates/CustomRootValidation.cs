using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// "Does this certificate chain to one of these anchors?" with custom root trust only (never the
/// system store), no downloads, no online revocation: the one check every client of ours (the
/// gateway calling partners, the CLI, the benchmark, the tests) makes of a server certificate.
/// </summary>
public static class CustomRootValidation
{
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static bool ChainsTo(X509Certificate? certificate, IEnumerable<X509Certificate2> anchors, string? requiredUsageOid = null)
    {
        if (certificate is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (requiredUsageOid is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(requiredUsageOid));
        }
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
