using System.Net;
using System.Text.Json.Nodes;
using OpenIddict.Server;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>
/// OpenIddict's server runs only at its own endpoints (OpenIddictRequestHandling). Every spelling of
/// an endpoint path that routing sends to the token endpoint must also reach OpenIddict's server:
/// otherwise the passthrough endpoint runs without an OpenIddict request and answers 500.
/// </summary>
public sealed class OpenIddictRequestHandlingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/token/")]
    [InlineData("/Connect/Token")]
    public async Task TheTokenEndpoint_UnderAnySpellingRoutingAccepts_IsOpenIddicts(string path)
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await client.PostAsync(path, Grant("client_credentials"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]);
    }

    [Fact]
    public async Task AnUnsupportedGrantAtTheTokenEndpoint_IsAnsweredByOpenIddict_NotA500()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await client.PostAsync("/connect/token/", Grant("password"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>());
    }

    [Fact]
    public void EveryConfiguredServerEndpoint_IsAPathOfTheGate()
    {
        var server = new OpenIddictServerOptions();
        server.TokenEndpointUris.Add(new Uri("connect/token", UriKind.Relative));
        server.ConfigurationEndpointUris.Add(new Uri(".well-known/openid-configuration/", UriKind.Relative));
        server.IntrospectionEndpointUris.Add(new Uri("https://gateway.example/base/connect/introspect"));

        var paths = OpenIddictRequestHandling.ServerEndpointPaths(server);

        Assert.Superset(new HashSet<string> { "/.well-known/openid-configuration", "/base/connect/introspect", "/connect/token" }, paths.ToHashSet());
        // OpenIddict's own defaults count too: it serves its key set and RFC 8414 metadata unasked.
        Assert.Contains("/.well-known/jwks", paths);
        Assert.Contains("/.well-known/oauth-authorization-server", paths);
        Assert.Contains("/CONNECT/TOKEN", paths);
    }

    private static FormUrlEncodedContent Grant(string grantType) => new(new Dictionary<string, string>
    {
        ["grant_type"] = grantType,
        ["client_id"] = GatewayFixture.BehavioralHealth,
    });
}
