using System.Net;
using System.Net.Http.Headers;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>An access token past its lifetime is refused (a gateway issuing one-second tokens).</summary>
public sealed class ExpiredTokenTests(ExpiredTokenTests.ShortTokens gateway) : IClassFixture<ExpiredTokenTests.ShortTokens>
{
    [Fact]
    public async Task Token_AfterItsLifetime_Answers401()
    {
        var certificate = gateway.Certificates.LoadClient(GatewayFixture.BehavioralHealth);
        var ca = gateway.Certificates.LoadCaPublic();
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => ReferralExchange.Infrastructure.Certificates.CustomRootValidation.ChainsTo(server, [ca]),
            },
        }) { BaseAddress = gateway.BaseAddress };
        var tokenResponse = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = GatewayFixture.BehavioralHealth,
        }));
        var token = (await tokenResponse.JsonAsync())["access_token"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var fresh = await client.GetAsync("/fhir/Organization/bh-riverside");

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await client.GetAsync("/fhir/Organization/bh-riverside");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    public sealed class ShortTokens : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:AccessTokenLifetime", "00:00:01")];
    }
}
