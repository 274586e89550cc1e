using System.Net;
using System.Net.Http.Headers;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>
/// A token validated on a connection is kept for that connection (ValidatedTokenCache), and since
/// ADR 0027 nothing else validates it again: so on one kept-alive connection, right after a genuine
/// token was accepted, anything but that exact token must still be validated in full and refused.
/// </summary>
public sealed class ConnectionTokenCacheTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Partner = GatewayFixture.BehavioralHealth;

    [Fact]
    public async Task AfterAGenuineToken_ATamperedSignatureOnTheSameConnection_Answers401()
    {
        using var client = gateway.ClientWithoutToken(Partner, maxConnections: 1);
        var genuine = await TokenForge.GenuineAsync(client, Partner);

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, genuine));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(client, Tampered(genuine)));
        // The genuine token still works on the same connection: the refusal did not poison it.
        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, genuine));
    }

    [Fact]
    public async Task AfterAGenuineToken_AResignedTokenWithoutBindingOnTheSameConnection_Answers401()
    {
        using var client = gateway.ClientWithoutToken(Partner, maxConnections: 1);
        var genuine = await TokenForge.GenuineAsync(client, Partner);
        var claims = TokenForge.Claims(genuine);
        claims.Remove("cnf");
        var unbound = await TokenForge.ResignAsync(gateway, genuine, claims);

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, genuine));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(client, unbound));
    }

    [Fact]
    public async Task AfterAGenuineToken_NoTokenOnTheSameConnection_Answers401()
    {
        using var client = gateway.ClientWithoutToken(Partner, maxConnections: 1);
        var genuine = await TokenForge.GenuineAsync(client, Partner);

        Assert.Equal(HttpStatusCode.OK, await CallAsync(client, genuine));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(client, null));
    }

    private static async Task<HttpStatusCode> CallAsync(HttpClient client, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Organization/{Partner}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return (await client.SendAsync(request)).StatusCode;
    }

    /// <summary>The same header and claims, one character of the signature changed.</summary>
    private static string Tampered(string token)
    {
        var last = token[^2];
        return token[..^2] + (last == 'A' ? 'B' : 'A') + token[^1];
    }
}
