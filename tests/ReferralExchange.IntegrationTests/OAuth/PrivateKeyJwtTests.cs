using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>private_key_jwt client assertions as SMART Backend Services describes: signed with the partner's key, single use, short-lived.</summary>
public sealed class PrivateKeyJwtTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Assertion_SignedWithThePartnersKey_IssuesAToken()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var response = await client.PostAsync("/connect/token", Form(await AssertionAsync(client, TimeSpan.FromMinutes(4))));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_Replayed_IsRefusedAsInvalidClient()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var assertion = await AssertionAsync(client, TimeSpan.FromMinutes(4));
        var first = await client.PostAsync("/connect/token", Form(assertion));
        var replay = await client.PostAsync("/connect/token", Form(assertion));

        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        Assert.False(replay.IsSuccessStatusCode);
        Assert.Contains("invalid_client", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_ExpiringMoreThanFiveMinutesOut_IsRefused()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var response = await client.PostAsync("/connect/token", Form(await AssertionAsync(client, TimeSpan.FromMinutes(30))));
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> AssertionAsync(HttpClient client, TimeSpan lifetime)
    {
        // The audience is the authorization server's issuer identifier, as discovery states it.
        var issuer = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!["issuer"]!.GetValue<string>();
        var certificate = gateway.Certificates.LoadClient(GatewayFixture.BehavioralHealth);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = GatewayFixture.BehavioralHealth,
            Audience = issuer,
            Subject = new ClaimsIdentity([new Claim("sub", GatewayFixture.BehavioralHealth), new Claim("jti", Guid.NewGuid().ToString())]),
            TokenType = "client-authentication+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(
                new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()) { KeyId = ReferralExchange.Infrastructure.Partners.OAuthClientRegistration.KeyIdOf(certificate) },
                SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static FormUrlEncodedContent Form(string assertion) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = GatewayFixture.BehavioralHealth,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
    });
}
