using System.Net;
using System.Net.Http.Headers;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>
/// An access token past its lifetime is refused (a gateway issuing five-second tokens: long enough
/// that the first use is inside the lifetime on a loaded 2-core machine, short enough to wait out).
/// </summary>
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
        // The first token and request of a fresh gateway pay its warm-up (JIT, the handshake, the
        // token pipeline); only a token issued afterwards is timed against its lifetime.
        using (var warmUp = new HttpRequestMessage(HttpMethod.Get, "/fhir/Organization/bh-riverside"))
        {
            warmUp.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(client));
            (await client.SendAsync(warmUp)).Dispose();
        }
        var issued = System.Diagnostics.Stopwatch.StartNew();
        var token = await FetchTokenAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var fresh = await client.GetAsync("/fhir/Organization/bh-riverside");

        Assert.True(issued.Elapsed < Lifetime, $"the first use took {issued.Elapsed.TotalSeconds:0.0} s, past the token's lifetime: the machine is too loaded for this test");
        await Task.Delay(Lifetime + TimeSpan.FromSeconds(2) - issued.Elapsed);
        var expired = await client.GetAsync("/fhir/Organization/bh-riverside");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    private static async Task<string> FetchTokenAsync(HttpClient client)
    {
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = GatewayFixture.BehavioralHealth,
        }));
        return (await response.JsonAsync())["access_token"]!.GetValue<string>();
    }

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    public sealed class ShortTokens : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:AccessTokenLifetime", "00:00:05")];
    }
}
