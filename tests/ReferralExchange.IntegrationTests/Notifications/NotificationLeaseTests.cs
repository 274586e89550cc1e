using System.Text.RegularExpressions;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>
/// Leased delivery (ADR 0014): several gateway processes on one database deliver each notification
/// once, in order; a lease left by a host that died is respected until it expires, then taken over.
/// </summary>
public abstract partial class NotificationLeaseSpec
{
    /// <summary>The database the gateways of a test share.</summary>
    protected virtual TestDatabase NewDatabase() => TestDatabase.Sqlite();

    [Fact]
    public async Task TwoGateways_OnOneDatabase_DeliverEachNotificationExactlyOnce_InOrder()
    {
        // Which worker's poll comes first after a commit is chance, so referrals are sent in batches
        // until both processes have delivered some (a worker that never delivers still fails below).
        const int batch = 25, maxBatches = 8;
        await using var first = await NotificationGateway.StartAsync(database: NewDatabase());
        await using var second = await NotificationGateway.StartAsync(root: first.RootDirectory, database: first.Database);
        second.DeleteOnDispose = false;
        using var endpoint = new PartnerEndpointStandIn(first);
        await NotificationFlow.SubscribeAsync(first, GatewayFixture.BehavioralHealth, endpoint);

        var referrals = 0;
        using (var viaFirst = first.ClientFor(GatewayFixture.Psw))
        using (var viaSecond = second.ClientFor(GatewayFixture.Psw))
        {
            do
            {
                // One after another: each change's event number is taken before the next change starts.
                for (var i = 0; i < batch; i++, referrals++) await (referrals % 2 == 0 ? viaFirst : viaSecond).SubmitReferralAsync(ReferralSamples.Native());
                var sent = referrals;
                await NotificationFlow.EventuallyAsync(() => endpoint.Received.Select(r => r.DeliveryId).Distinct().Count() >= sent, seconds: 60);
            }
            while ((Delivered(first) == 0 || Delivered(second) == 0) && referrals < batch * maxBatches);
        }
        await Task.Delay(1500);

        var received = endpoint.Received.ToList();
        Assert.Equal(referrals, received.Count);
        Assert.Equal(referrals, received.Select(r => r.DeliveryId).Distinct().Count());
        Assert.All(received, r => Assert.Equal(200, r.Status));
        var events = received.Select(r => NotificationFlow.EventNumber(r.Body)).ToList();
        Assert.Equal(events.Order(), events);
        // Both processes took part: each logged rounds in which it delivered something.
        Assert.True(Delivered(first) > 0, $"the first gateway delivered none of {referrals}: {Problems(first)}");
        Assert.True(Delivered(second) > 0, $"the second gateway delivered none of {referrals}: {Problems(second)}");
        Assert.Equal(referrals, Delivered(first) + Delivered(second));
    }

    [Fact]
    public async Task Lease_HeldByAHostThatDied_IsRespectedUntilItExpires_ThenTakenOver()
    {
        await using var gateway = await NotificationGateway.StartAsync(database: NewDatabase());
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await NotificationFlow.EventuallyAsync(() => !endpoint.Received.IsEmpty);
        var deliveryId = endpoint.Received.First().DeliveryId;

        // What a host killed mid-delivery leaves behind: the row claimed in its name, the lease still running.
        var expires = DateTimeOffset.UtcNow.AddSeconds(5);
        Assert.Equal(1, Database.Execute(gateway,
            $"UPDATE \"Notifications\" SET \"LeaseOwner\" = 'killed-host/4242/deadbeef', \"LeaseExpiresTicks\" = {expires.UtcTicks}, \"NextAttemptTicks\" = 0 WHERE \"DeliveryId\" = '{deliveryId}'"));
        await Task.Delay(300);
        endpoint.AlwaysFail = false;
        var before = endpoint.Received.Count;
        await Task.Delay(1500);
        Assert.Equal(before, endpoint.Received.Count);

        await NotificationFlow.EventuallyAsync(() => endpoint.Received.Any(r => r.Status == 200));
        Assert.True(DateTimeOffset.UtcNow >= expires, "delivered before the dead host's lease expired");
        Assert.Single(endpoint.Received, r => r.Status == 200);
        Assert.All(endpoint.Received, r => Assert.Equal(deliveryId, r.DeliveryId));
        await NotificationFlow.EventuallyAsync(() => Database.Count(gateway, "Notifications", "\"Status\" = 'delivered' AND \"LeaseOwner\" IS NULL") == 1);
    }

    private static int Delivered(GatewayFixture gateway) =>
        gateway.Logs.Lines.Select(line => DeliveredPattern().Match(line)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value));

    /// <summary>What a gateway logged at warning or above, for a failure message.</summary>
    private static string Problems(GatewayFixture gateway) =>
        string.Join(" | ", gateway.Logs.Lines.Where(line => line.Contains("\"@l\":\"Warning\"") || line.Contains("\"@l\":\"Error\"")).Take(5));

    [GeneratedRegex("\"Delivered\":(\\d+)")]
    private static partial Regex DeliveredPattern();
}

/// <summary>The tests above with both gateways on one SQLite file.</summary>
public sealed class NotificationLeaseTests : NotificationLeaseSpec;

/// <summary>The tests above with both gateways on one PostgreSQL database (two replicas' leases, ADR 0017).</summary>
public sealed class NotificationLeaseTestsOnPostgreSql : NotificationLeaseSpec
{
    protected override TestDatabase NewDatabase() => TestDatabase.PostgreSql();
}
