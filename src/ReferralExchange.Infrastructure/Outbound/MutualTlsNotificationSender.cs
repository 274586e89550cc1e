using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Infrastructure.Outbound;

/// <summary>
/// One notification attempt over the gateway's outbound client: it presents the gateway's client
/// certificate and trusts a partner's server certificate only through the configured anchors (never
/// the system store). The client's resilience pipeline (<see cref="NotificationDeliveryPipeline"/>)
/// bounds the attempt and keeps a circuit per origin; this turns what happened into a
/// <see cref="SendOutcome"/>, so the core never sees HTTP or Polly.
/// </summary>
public sealed class MutualTlsNotificationSender(HttpClient client, NotificationOptions options) : INotificationSender
{
    public const string ClientName = "notifications";

    public async Task<SendOutcome> SendAsync(Uri endpoint, string deliveryId, string payloadJson, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(payloadJson, Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("X-Delivery-Id", deliveryId);
        try
        {
            using var response = await client.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? new SendOutcome.Delivered() : new SendOutcome.Failed($"endpoint answered {status}");
        }
        catch (BrokenCircuitException)
        {
            return new SendOutcome.Unavailable(options.CircuitBreakDuration, "circuit open: the endpoint's origin failed repeatedly");
        }
        catch (TimeoutRejectedException)
        {
            return new SendOutcome.Failed($"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException error)
        {
            // The error kind (ConnectionError, SecureConnectionError, ...) says enough; messages can carry addresses.
            return new SendOutcome.Failed($"{nameof(HttpRequestException)}: {error.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendOutcome.Failed("request timed out");
        }
    }

    /// <summary>The connection layer: mutual TLS with custom-root trust, a connect timeout, connections recycled every 5 minutes.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 clientCertificate, IReadOnlyList<X509Certificate2> trustAnchors, OutboundOptions outbound) => new()
    {
        ConnectTimeout = outbound.ConnectTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [clientCertificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsToAnchors(certificate, trustAnchors, errors),
        },
    };

    private static bool ChainsToAnchors(X509Certificate? certificate, IReadOnlyList<X509Certificate2> anchors, SslPolicyErrors errors) =>
        !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
        && Certificates.CustomRootValidation.ChainsTo(certificate, anchors, Certificates.CustomRootValidation.ServerAuthOid);
}
