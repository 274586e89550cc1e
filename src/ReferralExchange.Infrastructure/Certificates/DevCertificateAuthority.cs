using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// A private certificate authority for development and tests: it issues the gateway's server
/// certificate and one client certificate per partner. Keys are ECDSA P-256. Never used in
/// production, where partner certificates come from the operator's CA and are registered.
/// </summary>
public sealed class DevCertificateAuthority : IDisposable
{
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private DevCertificateAuthority(X509Certificate2 certificate) => Certificate = certificate;

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public static DevCertificateAuthority Create(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}, O=Referral Exchange Development"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
        return new DevCertificateAuthority(certificate);
    }

    public static DevCertificateAuthority FromPem(string certificatePem, string keyPem) =>
        new(X509Certificate2.CreateFromPem(certificatePem, keyPem));

    /// <summary>The gateway's TLS server certificate for the given host names and addresses.</summary>
    public X509Certificate2 IssueServer(IEnumerable<string> hosts, DateTimeOffset now)
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address)) san.AddIpAddress(address);
            else san.AddDnsName(host);
        }
        return Issue("CN=referral-exchange-gateway, O=Referral Exchange Development", san.Build(), [ServerAuthOid], now.AddDays(-1), now.AddYears(2));
    }

    /// <summary>
    /// A partner's client certificate. Its SAN dNSName <c>{partnerId}.partners.referral-exchange.example</c>
    /// identifies the partner for RFC 8705 tls_client_auth.
    /// </summary>
    public X509Certificate2 IssueClient(string partnerId, DateTimeOffset notBefore, DateTimeOffset notAfter, string[]? extendedKeyUsages = null)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName($"{partnerId}.partners.referral-exchange.example");
        return Issue($"CN={partnerId}, O=Referral Exchange Partner", san.Build(), extendedKeyUsages ?? [ClientAuthOid], notBefore, notAfter);
    }

    private X509Certificate2 Issue(string subject, X509Extension san, string[] ekus, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (ekus.Length > 0)
        {
            var oids = new OidCollection();
            foreach (var eku in ekus) oids.Add(new Oid(eku));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }
        request.CertificateExtensions.Add(san);
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        // The issued certificate must not outlive the CA.
        var end = notAfter < Certificate.NotAfter ? notAfter : new DateTimeOffset(Certificate.NotAfter.ToUniversalTime());
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var publicOnly = request.Create(Certificate, notBefore, end, serial);
        return publicOnly.CopyWithPrivateKey(key);
    }

    /// <summary>Adds revoked certificates to the CA's CRL file (creating it if needed), with the next CRL number.</summary>
    public void Revoke(string crlPath, IEnumerable<X509Certificate2> certificates, DateTimeOffset now)
    {
        var builder = File.Exists(crlPath)
            ? CertificateRevocationListBuilder.Load(File.ReadAllBytes(crlPath), out var number)
            : new CertificateRevocationListBuilder();
        var next = File.Exists(crlPath) ? LastNumber(crlPath) + 1 : 1;
        foreach (var certificate in certificates)
        {
            builder.AddEntry(certificate, now);
        }
        File.WriteAllBytes(crlPath, builder.Build(Certificate, next, now.AddDays(7), HashAlgorithmName.SHA256));
    }

    private static System.Numerics.BigInteger LastNumber(string crlPath)
    {
        CertificateRevocationListBuilder.Load(File.ReadAllBytes(crlPath), out var number);
        return number;
    }

    public void Dispose() => Certificate.Dispose();
}
