using Npgsql;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>
/// Issue 15 §3: on PostgreSQL notifications are leased with <c>FOR UPDATE SKIP LOCKED</c>. A row that
/// another session holds locked (what another replica does while it claims or marks it) is passed
/// over, so the rest of the outbox keeps moving; a plain conditional UPDATE would wait on that row for
/// the whole lock timeout (a minute in these tests) and deliver nothing meanwhile.
/// </summary>
public sealed class NotificationLeaseSkipLockedTests
{
    [Fact]
    public async Task Claim_WhileAnotherSessionHoldsOneSubscriptionsRowLocked_DeliversTheOthers_AndLeavesTheLockedRowAlone()
    {
        await using var gateway = await NotificationGateway.StartAsync(
            new Dictionary<string, string?> { ["Gateway:Notifications:MaxAttempts"] = "1000" }, database: TestDatabase.PostgreSql());
        var database = (PostgreSqlTestDatabase)gateway.Database;
        using var failing = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        using var working = new PartnerEndpointStandIn(gateway);
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, failing);
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.Housing, working);
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        // A pending row that keeps being retried: the behavioural-health partner's endpoint fails.
        await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth));
        await NotificationFlow.EventuallyAsync(() => !failing.Received.IsEmpty);
        var lockedId = failing.Received.First().DeliveryId;

        // Lock it between attempts (committed as free, so no delivery holds it), as another replica's
        // open claim or mark would, and keep the lock while the housing partner's notification is due.
        await using var other = database.OpenAs(PostgreSqlCluster.OwnerRole);
        await using var transaction = await other.BeginTransactionAsync();
        await NotificationFlow.EventuallyAsync(async () =>
        {
            await using var lockRow = new NpgsqlCommand(
                "SELECT 1 FROM \"Notifications\" WHERE \"DeliveryId\" = @id AND \"Status\" = 'pending' AND \"LeaseOwner\" IS NULL FOR UPDATE", other, transaction);
            lockRow.Parameters.AddWithValue("id", lockedId);
            return await lockRow.ExecuteScalarAsync() is not null;
        });
        var attemptsWhileLocked = failing.Received.Count;

        await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: GatewayFixture.Housing, categories: ["homelessness"]));

        await NotificationFlow.EventuallyAsync(() => working.Received.Any(r => r.Status == 200), seconds: 20);
        Assert.Equal(attemptsWhileLocked, failing.Received.Count);
        await transaction.RollbackAsync();
    }
}
