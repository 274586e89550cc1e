using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Partners;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Kestrel with mutual TLS on every connection: a client certificate is required, and our own
/// chain check against the partner CA decides (Kestrel's verdict uses the system store, which must
/// not matter here). A certificate that fails is refused in the handshake: no HTTP at all.
/// TLS 1.2 and 1.3 only, with the AEAD suites of <see cref="TlsCipherSuites"/>.
/// </summary>
public static class KestrelMutualTls
{
    public static void Configure(WebApplicationBuilder builder, GatewayOptions options, X509Certificate2 serverCertificate,
        PartnerTrust trust, CertificateRegistry registry)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            var address = IPAddress.Parse(options.Host);
            kestrel.Listen(address, options.Port, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.CheckCertificateRevocation = false;
                // Kestrel builds a chain before our callback: it too must stay offline, trusting only the partner CA.
                https.OnAuthenticate = (_, ssl) =>
                {
                    var policy = new X509ChainPolicy
                    {
                        DisableCertificateDownloads = true,
                        RevocationMode = X509RevocationMode.NoCheck,
                        TrustMode = X509ChainTrustMode.CustomRootTrust,
                    };
                    policy.CustomTrustStore.AddRange(trust.Anchors.ToArray());
                    ssl.CertificateChainPolicy = policy;
                    ssl.CipherSuitesPolicy = TlsCipherSuites.Policy();
                };
                https.ClientCertificateValidation = (certificate, _, _) =>
                    certificate is not null
                    && trust.Evaluate(certificate).IsTrusted
                    && registry.IsRegisteredToActivePartner(CertificateThumbprint.Sha256(certificate));
            }));
        });
    }
}
