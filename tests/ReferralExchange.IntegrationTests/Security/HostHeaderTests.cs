using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// Finding 6: a forged Host header must not steer where partners' next requests (and tokens) go.
/// By default a Host that does not name the gateway is refused with an OperationOutcome.
/// </summary>
public sealed class HostHeaderTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/fhir/metadata")]
    [InlineData("/.well-known/openid-configuration")]
    [InlineData("/.well-known/smart-configuration")]
    public async Task Request_WithForgedHost_IsRefused400WithOperationOutcome(string path)
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "evil.example";

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Equal("Host", outcome["issue"]![0]!["expression"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_WithAllowedHostName_IsServed()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/metadata");
        request.Headers.Host = $"localhost:{gateway.BaseAddress.Port}";

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Links_InDevelopment_UseTheListenAddressNotTheRequestHost()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostNativeAsync(ReferralSamples.Native());

        Assert.Equal($"https://localhost:{gateway.BaseAddress.Port}", gateway.PublicBaseUrl);
        Assert.StartsWith($"{gateway.PublicBaseUrl}/fhir/Task/", response.Headers.Location!.ToString());
    }
}

/// <summary>
/// With the Host check turned off (<c>AllowedHosts=*</c>) a forged Host is answered, but every link,
/// fullUrl, Location and discovery endpoint still names the configured public base URL.
/// </summary>
public sealed class ForgedHostLinkTests(ForgedHostLinkTests.AnyHostGateway gateway) : IClassFixture<ForgedHostLinkTests.AnyHostGateway>
{
    public const string PublicBase = "https://gateway.referral-exchange.test";
    private const string Forged = "evil.example";

    public sealed class AnyHostGateway : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Gateway:PublicBaseUrl", PublicBase),
            new("AllowedHosts", "*"),
        ];
    }

    [Fact]
    public async Task Submission_WithForgedHost_LocationAndFullUrlsNameThePublicBase()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var request = Forge(HttpMethod.Post, "/referrals");
        request.Content = new StringContent(ReferralSamples.Native().ToJsonString(), Encoding.UTF8, "application/json");

        var response = await psw.SendAsync(request);
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith($"{PublicBase}/fhir/Task/", response.Headers.Location!.ToString());
        Assert.All(body["entry"]!.AsArray(), e => Assert.StartsWith($"{PublicBase}/fhir/", e!["fullUrl"]!.GetValue<string>()));
        Assert.DoesNotContain(Forged, body.ToJsonString());
    }

    [Fact]
    public async Task Search_WithForgedHost_LinksAndFullUrlsNameThePublicBase()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        using var request = Forge(HttpMethod.Get, $"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&_count=1");

        var bundle = await (await provider.SendAsync(request)).JsonAsync();

        Assert.Contains(bundle["link"]!.AsArray(), l => l!["relation"]!.GetValue<string>() == "next");
        Assert.All(bundle["link"]!.AsArray(), l => Assert.StartsWith($"{PublicBase}/fhir/Task?", l!["url"]!.GetValue<string>()));
        Assert.All(bundle["entry"]!.AsArray(), e => Assert.StartsWith($"{PublicBase}/fhir/", e!["fullUrl"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OpenIdDiscovery_WithForgedHost_NamesThePublicBase()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var document = await GetJsonAsync(client, "/.well-known/openid-configuration");

        Assert.Equal($"{PublicBase}/", document["issuer"]!.GetValue<string>());
        Assert.Equal($"{PublicBase}/connect/token", document["token_endpoint"]!.GetValue<string>());
        AssertNoForgedHost(document);
    }

    [Fact]
    public async Task SmartDiscovery_WithForgedHost_NamesThePublicBase()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var document = await GetJsonAsync(client, "/.well-known/smart-configuration");

        Assert.Equal(PublicBase, document["issuer"]!.GetValue<string>());
        Assert.Equal($"{PublicBase}/connect/token", document["token_endpoint"]!.GetValue<string>());
        AssertNoForgedHost(document);
    }

    [Fact]
    public async Task AccessToken_WithForgedHost_NamesThePublicIssuer()
    {
        using var client = gateway.ClientWith(null);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        using var request = Forge(HttpMethod.Post, "/connect/token");
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = GatewayFixture.Housing });

        var token = (await (await housing.SendAsync(request)).JsonAsync())["access_token"]!.GetValue<string>();
        var payload = Encoding.UTF8.GetString(Base64Url(token.Split('.')[1]));

        Assert.Equal($"{PublicBase}/", JsonNode.Parse(payload)!["iss"]!.GetValue<string>());
    }

    private static HttpRequestMessage Forge(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = Forged;
        return request;
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var request = Forge(HttpMethod.Get, path);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    private static void AssertNoForgedHost(JsonObject document) => Assert.DoesNotContain(Forged, document.ToJsonString());

    private static byte[] Base64Url(string part)
    {
        var padded = part.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }
}
