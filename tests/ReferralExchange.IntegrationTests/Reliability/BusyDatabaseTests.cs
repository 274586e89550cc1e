using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §4, bounded waits: with the SQLite write lock held by another process's connection
/// (BEGIN IMMEDIATE) past the busy timeout, a submission and a read answer 503 with Retry-After
/// within the timeout plus slack; once the lock is released the gateway serves again, the refusals'
/// audit records are written after all, and the chain is whole.
/// </summary>
public sealed class BusyDatabaseTests(BusyDatabaseTests.ShortWaitGateway gateway) : IClassFixture<BusyDatabaseTests.ShortWaitGateway>
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);
    // The lock is held until after the answer, so an unbounded wait would run into the client's
    // 120 s timeout; 8 s of slack still tells bounded from unbounded on a loaded 2-core machine
    // (3 s was once exceeded by half a second while the suite started other gateways).
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    public sealed class ShortWaitGateway : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:Database:BusyTimeout", BusyTimeout.ToString())];
    }

    [Fact]
    public async Task WriteLockHeldPastBusyTimeout_SubmissionAndRead_Answer503WithRetryAfterThenRecover()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        // Warm-up (tokens, first-request JIT) can itself exceed 2 s on a loaded machine: retried.
        string? taskId = null;
        for (var i = 0; i < 5 && taskId is null; i++)
        {
            try { (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native()); } catch (InvalidOperationException) { }
        }
        Assert.NotNull(taskId);
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/fhir/Task/{taskId}")).StatusCode); // tokens in hand

        var refusedBefore = RefusedAsBusy();
        using (var holder = new SqliteConnection($"Data Source={gateway.DatabasePath};Pooling=False;Default Timeout=30"))
        {
            holder.Open();
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE;";
                begin.ExecuteNonQuery();
            }

            var submission = await TimedAsync(() => psw.PostNativeAsync(ReferralSamples.Native()));
            var read = await TimedAsync(() => provider.GetAsync($"/fhir/Task/{taskId}"));

            foreach (var (response, took) in new[] { submission, read })
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After is missing");
                Assert.True(took < BusyTimeout + Slack, $"answered after {took}");
                var outcome = await response.JsonAsync();
                Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
                Assert.Equal("lock-error", outcome["issue"]![0]!["code"]!.GetValue<string>());
            }

            using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await psw.SubmitReferralAsync(ReferralSamples.Native());
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
        // The refusals' records waited for the database and are in the chain now.
        await EventuallyAsync(() => RefusedAsBusy() >= refusedBefore + 2,
            () => string.Join(" | ", gateway.Logs.Lines.Where(l => l.Contains("Audit record not written", StringComparison.Ordinal)).Take(3)));
        AuditChainFile.AssertIntact(gateway.DatabasePath);
    }

    private long RefusedAsBusy() => Database.Count(gateway, "AuditRecords", "CAST(Payload AS TEXT) LIKE '%\"detail\":\"503 lock-error%'");

    private static async Task<(HttpResponseMessage Response, TimeSpan Took)> TimedAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        var response = await send();
        return (response, clock.Elapsed);
    }

    private static async Task EventuallyAsync(Func<bool> condition, Func<string> explain)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(condition(), $"condition not met within 10 s: {explain()}");
    }
}
