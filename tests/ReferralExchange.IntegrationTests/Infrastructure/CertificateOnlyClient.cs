using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A client that presents a partner certificate and nothing else: no access token is fetched or
/// sent (unlike <see cref="GatewayFixture.ClientFor"/>), as a client probing discovery first does.
/// </summary>
public static class CertificateOnlyClient
{
    public static HttpClient For(GatewayFixture gateway, string partnerId) => With(gateway, gateway.Certificates.LoadClient(partnerId));

    public static HttpClient With(GatewayFixture gateway, X509Certificate2 certificate)
    {
        var caCertificate = gateway.Certificates.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, serverCert, _, _) => CustomRootValidation.ChainsTo(serverCert, [caCertificate]),
            },
        };
        return new HttpClient(handler) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }
}
