using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Partners;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Kestrel with mutual TLS on every connection: a client certificate is required, and our own
/// chain check against the partner CA decides (Kestrel's verdict uses the system store, which must
/// not matter here). A certificate that fails is refused in the handshake: no HTTP at all.
/// TLS 1.2 and 1.3 only, with the AEAD suites of <see cref="TlsCipherSuites"/>.
/// <para>
/// Whether the certificate is registered to an active partner is a database read, so it runs as
/// connection middleware right after the handshake, asynchronously, before a single HTTP byte is
/// read; a refused connection is closed. It used to run inside the handshake callback, which cannot
/// await: under load the blocked thread-pool threads pushed handshakes past Kestrel's 10-second
/// handshake timeout and healthy partners saw their connections dropped.
/// </para>
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
                // Kestrel's default is 10 s. On two busy cores a TLS 1.3 handshake can wait that long
                // for a pool thread: the client, whose side of the handshake is already done, then sees
                // its first request's connection closed ("response ended prematurely", twice in CI
                // under load). 30 s is what Kestrel already allows a client for its request headers,
                // so a slow handshake holds a connection no longer than slow headers can.
                https.HandshakeTimeout = options.TlsHandshakeTimeout;
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
                https.ClientCertificateValidation = (certificate, _, _) => certificate is not null && trust.Evaluate(certificate).IsTrusted;
            }).Use(next => async connection =>
            {
                var certificate = connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
                if (certificate is null
                    || !await registry.IsRegisteredToActivePartnerAsync(CertificateThumbprint.Sha256(certificate), connection.ConnectionClosed))
                {
                    connection.Abort(new ConnectionAbortedException("The client certificate is not registered to an active partner."));
                    return;
                }
                await next(connection);
            }));
        });
    }
}
