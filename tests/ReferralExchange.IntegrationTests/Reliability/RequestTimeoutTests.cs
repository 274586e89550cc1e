using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>Issue 13 §4, request timeouts for the whole pipeline: a request over <c>Gateway:RequestTimeout</c> answers 503 as an OperationOutcome.</summary>
public sealed class RequestTimeoutTests(RequestTimeoutTests.ShortRequestGateway gateway) : IClassFixture<RequestTimeoutTests.ShortRequestGateway>
{
    public sealed class ShortRequestGateway : GatewayFixture
    {
        // The database wait is longer than the request may take, so the request's own limit answers.
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Gateway:RequestTimeout", "00:00:03"),
            new("Gateway:Database:BusyTimeout", "00:00:20"),
        ];
    }

    [Fact]
    public async Task SubmissionOverRequestTimeout_Answers503TimeoutWithRetryAfter()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        // Warm-up (token, first-request JIT) may itself run over a 3 s limit on a loaded machine: retried.
        for (var i = 0; i < 5 && (await psw.PostNativeAsync(ReferralSamples.Native())).StatusCode != HttpStatusCode.Created; i++)
        {
        }
        using var holder = new SqliteConnection($"Data Source={gateway.DatabasePath};Pooling=False;Default Timeout=30");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        var response = await psw.PostNativeAsync(ReferralSamples.Native());
        clock.Stop();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("timeout", (await response.JsonAsync())["issue"]![0]!["code"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed}");
    }
}
