using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// Decides whether a client certificate chains to the partner CA: our own X509Chain with custom
/// root trust (never the system store), the clientAuth extended key usage required explicitly
/// (a certificate with no EKU extension would otherwise pass as "any purpose"), and validity
/// checked at the injected clock's time.
/// </summary>
public sealed class PartnerTrust(IReadOnlyList<X509Certificate2> anchors, TimeProvider time, RevocationList? revocations = null)
{
    public IReadOnlyList<X509Certificate2> Anchors { get; } = anchors;

    /// <summary>Revoked in the CA's CRL (checked offline from the configured file, on every call).</summary>
    public bool IsRevoked(X509Certificate2 certificate) => revocations?.IsRevoked(certificate) == true;

    public bool IsWithinValidity(X509Certificate2 certificate)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now >= certificate.NotBefore.ToUniversalTime() && now <= certificate.NotAfter.ToUniversalTime();
    }

    public TrustVerdict Evaluate(X509Certificate2 certificate)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (!IsWithinValidity(certificate))
        {
            return TrustVerdict.Refuse("certificate is outside its validity period");
        }
        if (IsRevoked(certificate))
        {
            return TrustVerdict.Refuse("certificate is revoked in the partner CA's CRL");
        }
        if (!HasClientAuthUsage(certificate))
        {
            return TrustVerdict.Refuse("certificate does not allow client authentication (EKU 1.3.6.1.5.5.7.3.2)");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Anchors.ToArray());
        // Revocation is checked above against the CA's CRL file, offline: the platform's own CRL
        // fetching would go online (distribution points) and is not used.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(DevCertificateAuthority.ClientAuthOid));
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        // Never fetch anything a presented certificate points at (AIA): an unauthenticated client
        // must not be able to make the gateway issue outbound requests.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate))
        {
            var reasons = string.Join(", ", chain.ChainStatus.Select(s => s.Status));
            return TrustVerdict.Refuse($"certificate does not chain to the partner CA ({reasons})");
        }
        return TrustVerdict.Trusted;
    }

    /// <summary>The clientAuth EKU is named explicitly (no EKU extension at all would mean "any purpose").</summary>
    public static bool HasClientAuthUsage(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .Any(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == DevCertificateAuthority.ClientAuthOid));
}

public sealed record TrustVerdict(bool IsTrusted, string? Reason)
{
    public static TrustVerdict Trusted { get; } = new(true, null);

    public static TrustVerdict Refuse(string reason) => new(false, reason);
}
