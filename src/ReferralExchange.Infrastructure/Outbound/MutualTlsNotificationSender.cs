using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Infrastructure.Outbound;

/// <summary>
/// The gateway's outbound HTTP client: it presents the gateway's client certificate and trusts a
/// partner's server certificate only through the configured anchors (never the system store),
/// with connect and request timeouts.
/// </summary>
public sealed class MutualTlsNotificationSender : INotificationSender, IDisposable
{
    private readonly HttpClient _client;

    public MutualTlsNotificationSender(X509Certificate2 clientCertificate, IReadOnlyList<X509Certificate2> trustAnchors, OutboundOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [clientCertificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsToAnchors(certificate, trustAnchors, errors),
            },
        };
        _client = new HttpClient(handler) { Timeout = options.RequestTimeout };
    }

    public async Task<int> SendAsync(Uri endpoint, string deliveryId, string payloadJson, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(payloadJson, Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("X-Delivery-Id", deliveryId);
        using var response = await _client.SendAsync(request, ct);
        return (int)response.StatusCode;
    }

    private static bool ChainsToAnchors(X509Certificate? certificate, IReadOnlyList<X509Certificate2> anchors, SslPolicyErrors errors) =>
        !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
        && Certificates.CustomRootValidation.ChainsTo(certificate, anchors, Certificates.CustomRootValidation.ServerAuthOid);

    public void Dispose() => _client.Dispose();
}
