using System.Diagnostics;
using System.Net;
using Npgsql;
using ReferralExchange.Infrastructure.Persistence.PostgreSql;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §4 on PostgreSQL (ADR 0020): another replica holding the audit chain's advisory lock
/// past the busy timeout (the gateway's <c>lock_timeout</c>) makes a submission answer 503 with
/// Retry-After and lock-error within the timeout plus slack, never a 500; once released it serves again.
/// </summary>
public sealed class BusyPostgreSqlTests(BusyPostgreSqlTests.ShortWaitGateway gateway) : IClassFixture<BusyPostgreSqlTests.ShortWaitGateway>
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(2);
    // The lock is held until after the answer, so an unbounded wait would run into the client's
    // 120 s timeout; 8 s of slack still tells bounded from unbounded on a loaded 2-core machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);

    public sealed class ShortWaitGateway : PostgreSqlGatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:Database:BusyTimeout", BusyTimeout.ToString())];
    }

    [Fact]
    public async Task ChainLockHeldByAnotherSession_Submission_Answers503WithRetryAfterThenRecovers()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        string? taskId = null;
        for (var i = 0; i < 5 && taskId is null; i++)
        {
            try { (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native()); } catch (InvalidOperationException) { }
        }
        Assert.NotNull(taskId);

        await using (var holder = gateway.PostgreSql.OpenAs(PostgreSqlCluster.OwnerRole))
        {
            await using var transaction = await holder.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgreSqlLocks.AuditChain})", holder, transaction))
            {
                await take.ExecuteNonQueryAsync();
            }

            var clock = Stopwatch.StartNew();
            var response = await psw.PostNativeAsync(ReferralSamples.Native());
            var took = clock.Elapsed;

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After is missing");
            Assert.True(took < BusyTimeout + Slack, $"answered after {took}");
            var outcome = await response.JsonAsync();
            Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
            Assert.Equal("lock-error", outcome["issue"]![0]!["code"]!.GetValue<string>());
            await transaction.RollbackAsync();
        }

        var (again, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        Assert.NotNull(again);
    }
}
