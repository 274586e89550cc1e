using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>
/// Defence in depth behind the signature (issue 10, finding 8): tokens signed with the gateway's
/// real key but carrying claims it never issues are refused: no certificate binding, a future
/// <c>nbf</c> or <c>iat</c>, a lifetime beyond the configured one, no purpose of use.
/// </summary>
public sealed class ForgedTokenClaimTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Partner = GatewayFixture.BehavioralHealth;

    [Fact]
    public async Task ResignedGenuineToken_Unchanged_IsAccepted()
    {
        // The control: the forging itself is sound, so each refusal below is the rule's doing.
        var (genuine, claims) = await GenuineAsync();
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithoutCnf_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims.Remove("cnf");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithEmptyCnf_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims["cnf"] = new JsonObject();
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithNbfAnHourAhead_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims["nbf"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(1).AddMinutes(5).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithIatAnHourAhead_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims["iat"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        claims["exp"] = DateTimeOffset.UtcNow.AddHours(1).AddMinutes(5).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithNbfWithinTheClockSkew_IsAccepted()
    {
        var (genuine, claims) = await GenuineAsync();
        claims["nbf"] = DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.OK, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithExpADayAfterIat_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims["exp"] = claims["iat"]!.GetValue<long>() + (long)TimeSpan.FromDays(1).TotalSeconds;
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithoutIat_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims.Remove("iat");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithoutPurposeOfUse_SignedWithTheGatewaysKey_Answers401()
    {
        var (genuine, claims) = await GenuineAsync();
        claims.Remove("purpose_of_use");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    [Fact]
    public async Task Token_WithAPurposeAddedByTheForger_SignedWithTheGatewaysKey_CannotUseIt()
    {
        // Even with the key, an unknown purpose makes the token unusable rather than "no purpose".
        var (genuine, claims) = await GenuineAsync();
        claims["purpose_of_use"] = new JsonArray("TREAT", "NOT-A-PURPOSE");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallWithAsync(await TokenForge.ResignAsync(gateway, genuine, claims)));
    }

    private async Task<(string Token, JsonObject Claims)> GenuineAsync()
    {
        using var client = RawClient();
        var token = await TokenForge.GenuineAsync(client, Partner);
        return (token, TokenForge.Claims(token));
    }

    private async Task<HttpStatusCode> CallWithAsync(string token)
    {
        using var client = RawClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.GetAsync($"/fhir/Organization/{Partner}");
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // Refusals are OperationOutcomes with the RFC 6750 challenge, not bare 401s.
            Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
            Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        }
        return response.StatusCode;
    }

    private HttpClient RawClient() => gateway.ClientWithoutToken(Partner);
}
