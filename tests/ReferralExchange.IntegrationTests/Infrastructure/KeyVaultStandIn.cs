using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Certificates;
using WireMock;
using WireMock.RequestBuilders;
using Request = WireMock.RequestBuilders.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// WireMock.Net over HTTPS playing Azure Key Vault's key API (7.4): get key returns the public JWK,
/// sign really signs with a test P-256 key, and failures can be scripted per operation.
/// </summary>
public sealed class KeyVaultStandIn : IDisposable
{
    public const string KeyName = "audit-checkpoints";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly DevCertificateAuthority _vaultCa = DevCertificateAuthority.Create("Test Vault CA", DateTimeOffset.UtcNow);
    private readonly string _pfxPath;
    private int _signCalls;

    public KeyVaultStandIn()
    {
        // WireMock logs its settings with Json.NET, which cannot read an EC certificate object:
        // hand it the certificate as a PKCS#12 file instead.
        using var tls = _vaultCa.IssueServer(["localhost", "127.0.0.1"], DateTimeOffset.UtcNow);
        _pfxPath = Path.Combine(Path.GetTempPath(), $"rx-vault-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(_pfxPath, tls.Export(X509ContentType.Pkcs12, "stand-in"));
        Server = WireMockServer.Start(new WireMockServerSettings
        {
            UseSSL = true,
            CertificateSettings = new WireMockCertificateSettings { X509CertificateFilePath = _pfxPath, X509CertificatePassword = "stand-in" },
        });
        var jwk = Jwk();
        Server.Given(Request.Create().WithPath($"/keys/{KeyName}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwk));
        Server.Given(Request.Create().WithPath($"/keys/{KeyName}/v1").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwk));
        Server.Given(Request.Create().WithPath($"/keys/{KeyName}/v1/sign").UsingPost())
            .RespondWith(Response.Create().WithCallback(Sign));
    }

    public WireMockServer Server { get; }

    public string KeyId => $"{Server.Url}/keys/{KeyName}/v1";

    /// <summary>Statuses to answer to the next sign calls, in order, before signing for real.</summary>
    public Queue<int> SignFailures { get; } = new();

    public int SignCalls => _signCalls;

    public KeyVaultSigner CreateSigner(int maxRetries = 3) => new(
        new KeyVaultOptions { VaultUri = new Uri(Server.Url!), KeyName = KeyName, MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(5) },
        new StaticCredential(),
        // Trust the stand-in through its own test CA only, as the real client trusts Key Vault's.
        new HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => ChainsToVaultCa(certificate) }));

    private bool ChainsToVaultCa(X509Certificate2? certificate) =>
        CustomRootValidation.ChainsTo(certificate, [X509CertificateLoader.LoadCertificate(_vaultCa.Certificate.RawData)]);

    private ResponseMessage Sign(WireMock.IRequestMessage request)
    {
        Interlocked.Increment(ref _signCalls);
        if (SignFailures.TryDequeue(out var status))
        {
            var failure = new ResponseMessage { StatusCode = status, BodyData = Body("""{"error":{"code":"Throttled","message":"try later"}}""") };
            failure.AddHeader("Content-Type", "application/json");
            if (status == 429) failure.AddHeader("Retry-After", "0");
            return failure;
        }
        var body = JsonNode.Parse(request.Body!)!;
        if (body["alg"]!.GetValue<string>() != "ES256")
        {
            return new ResponseMessage { StatusCode = 400, BodyData = Body("""{"error":{"code":"BadParameter"}}""") };
        }
        var digest = FromBase64Url(body["value"]!.GetValue<string>());
        var signature = _key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var ok = new ResponseMessage { StatusCode = 200, BodyData = Body(JsonSerializer.Serialize(new { kid = KeyId, value = ToBase64Url(signature) })) };
        ok.AddHeader("Content-Type", "application/json");
        return ok;
    }

    private string Jwk()
    {
        var p = _key.ExportParameters(false);
        return JsonSerializer.Serialize(new
        {
            key = new { kid = KeyId, kty = "EC", crv = "P-256", x = ToBase64Url(p.Q.X!), y = ToBase64Url(p.Q.Y!), key_ops = new[] { "sign", "verify" } },
            attributes = new { enabled = true },
        });
    }

    private static BodyData Body(string json) => new() { BodyAsString = json, DetectedBodyType = BodyType.String };

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }

    public void Dispose()
    {
        Server.Stop();
        _key.Dispose();
        _vaultCa.Dispose();
        File.Delete(_pfxPath);
    }

    private sealed class StaticCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("test-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
