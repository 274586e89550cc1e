using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>The token endpoint: client_credentials with tls_client_auth, tokens bound to the client certificate (RFC 8705).</summary>
public sealed class TokenEndpointTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task ClientCredentials_OverMutualTls_IssuesATokenBoundToTheCertificate()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await client.PostAsync("/connect/token", Form(GatewayFixture.BehavioralHealth));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var payload = Payload(body["access_token"]!.GetValue<string>());
        var certificate = gateway.Certificates.LoadClientPublic(GatewayFixture.BehavioralHealth);
        var expected = Convert.ToBase64String(SHA256.HashData(certificate.RawData)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, payload["cnf"]!["x5t#S256"]!.GetValue<string>());
        Assert.Equal(GatewayFixture.BehavioralHealth, payload["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientCredentials_ForAnotherPartnersClientId_IsRefused()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.PostAsync("/connect/token", Form(GatewayFixture.BehavioralHealth));

        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Discovery_OpenIdAndSmart_NameTheTokenEndpointAndCertificateBinding()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var openid = JsonNode.Parse(await (await client.GetAsync("/.well-known/openid-configuration")).Content.ReadAsStringAsync())!;
        var smart = JsonNode.Parse(await (await client.GetAsync("/.well-known/smart-configuration")).Content.ReadAsStringAsync())!;

        Assert.EndsWith("/connect/token", openid["token_endpoint"]!.GetValue<string>());
        Assert.True(smart["tls_client_certificate_bound_access_tokens"]!.GetValue<bool>());
        Assert.Contains("system/Task.rus", smart["scopes_supported"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    private static FormUrlEncodedContent Form(string clientId) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = clientId,
    });

    private static JsonNode Payload(string jwt)
    {
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(part.PadRight(part.Length + (4 - part.Length % 4) % 4, '='))))!;
    }
}
