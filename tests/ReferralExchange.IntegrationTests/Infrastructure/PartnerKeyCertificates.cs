using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Cli;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// Onboards a partner whose certificate carries a key of a chosen type (ECDSA P-384, RSA), issued by
/// the gateway's development CA and registered as the operator does (<c>rx partner add</c>,
/// <c>rx partner register-cert</c>): its public key becomes the OAuth client's JWK, so it can sign
/// private_key_jwt assertions with ES384 or RS384. The dev CA itself only issues P-256.
/// </summary>
public static class PartnerKeyCertificates
{
    public static async Task<X509Certificate2> OnboardAsync(GatewayFixture gateway, string partnerId, AsymmetricAlgorithm key)
    {
        var certificate = Issue(gateway, partnerId, key);
        var pem = Path.Combine(gateway.RootDirectory, $"{partnerId}.crt");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem());
        await RxAsync(gateway, "partner", "add", "--id", partnerId, "--name", partnerId, "--kind", "behavioral-health");
        await RxAsync(gateway, "partner", "register-cert", "--id", partnerId, "--cert", pem);
        // Through PKCS#12, as partners' certificates are loaded elsewhere in the tests (TLS needs a persisted key on some platforms).
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private static X509Certificate2 Issue(GatewayFixture gateway, string partnerId, AsymmetricAlgorithm key)
    {
        using var ca = gateway.Certificates.LoadCa();
        var subject = new X500DistinguishedName($"CN={partnerId}, O=Referral Exchange Partner");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA384),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("ECDsa or RSA", nameof(key)),
        };
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName($"{partnerId}.partners.referral-exchange.example");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(DevCertificateAuthority.ClientAuthOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        // The CA's key is ECDSA; an RSA subject needs the generator named explicitly.
        using var caKey = ca.Certificate.GetECDsaPrivateKey()!;
        using var publicOnly = request.Create(ca.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(30), serial);
        return key switch
        {
            ECDsa ec => publicOnly.CopyWithPrivateKey(ec),
            _ => publicOnly.CopyWithPrivateKey((RSA)key),
        };
    }

    private static async Task RxAsync(GatewayFixture gateway, params string[] args)
    {
        var output = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, "--database", gateway.DatabasePath], output);
        if (exit != 0) throw new InvalidOperationException($"rx {string.Join(' ', args)} failed ({exit}): {output}");
    }
}
