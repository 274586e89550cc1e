using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A partner's notification endpoint, played by WireMock.Net over HTTPS with a server certificate
/// from the partner CA, requiring a client certificate and accepting only the gateway's.
/// Answers can be scripted: a queue of failure statuses before success, or failing for good.
/// </summary>
public sealed class PartnerEndpointStandIn : IDisposable
{
    private readonly string _pfxPath = Path.Combine(Path.GetTempPath(), $"rx-hook-{Guid.NewGuid():N}.pfx");
    private readonly string _gatewayThumbprint;

    public PartnerEndpointStandIn(GatewayFixture gateway)
    {
        using var ca = gateway.Certificates.LoadCa();
        using var tls = ca.IssueServer(["localhost", "127.0.0.1"], DateTimeOffset.UtcNow);
        File.WriteAllBytes(_pfxPath, tls.Export(X509ContentType.Pkcs12, "stand-in"));
        using var gatewayClient = X509CertificateLoader.LoadCertificateFromFile(gateway.Certificates.ClientCertificatePath("gateway-client"));
        _gatewayThumbprint = gatewayClient.Thumbprint;
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509CertificateFilePath = _pfxPath, X509CertificatePassword = "stand-in" },
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            AcceptAnyClientCertificate = true,
        });
        Server.Given(Request.Create().WithPath("/hook").UsingPost()).RespondWith(Response.Create().WithCallback(Answer));
    }

    public WireMockServer Server { get; }

    public string Endpoint => $"{Server.Url!.Replace("0.0.0.0", "localhost")}/hook";

    public ConcurrentQueue<int> Failures { get; } = new();

    public bool AlwaysFail { get; set; }

    /// <summary>Every request received: its delivery id, the status answered, the focus it announced.</summary>
    public ConcurrentQueue<(string DeliveryId, int Status, string Body)> Received { get; } = new();

    private ResponseMessage Answer(IRequestMessage request)
    {
        var deliveryId = request.Headers?.TryGetValue("X-Delivery-Id", out var ids) == true ? ids.ToString() : string.Empty;
        var status = request.ClientCertificate?.Thumbprint != _gatewayThumbprint ? 401
            : AlwaysFail ? 503
            : Failures.TryDequeue(out var failure) ? failure
            : 200;
        Received.Enqueue((deliveryId, status, request.Body ?? string.Empty));
        return new ResponseMessage { StatusCode = status, BodyData = new BodyData { BodyAsString = "{}", DetectedBodyType = BodyType.String } };
    }

    public void Dispose()
    {
        Server.Stop();
        File.Delete(_pfxPath);
    }
}
