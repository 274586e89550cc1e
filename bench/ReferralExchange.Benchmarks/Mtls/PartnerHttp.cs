using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Mtls;

/// <summary>
/// An HTTP client that is one partner: its client certificate on every connection (mutual TLS),
/// the gateway's server certificate checked against the development CA, and optionally its
/// certificate-bound access token as a Bearer header.
/// </summary>
public static class PartnerHttp
{
    public static HttpClient Create(Uri baseAddress, X509Certificate2 certificate, X509Certificate2 ca, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };

    /// <summary>A client that already carries a token fetched over its own connection (RFC 8705 §3: the token is bound to this certificate).</summary>
    public static async Task<HttpClient> CreateWithTokenAsync(Uri baseAddress, X509Certificate2 certificate, X509Certificate2 ca, TokenRequest tokenRequest, CancellationToken ct)
    {
        var client = Create(baseAddress, certificate, ca);
        var token = await tokenRequest.FetchAsync(client, ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
