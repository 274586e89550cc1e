using Microsoft.Extensions.Time.Testing;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>
/// Issue 13, point 1: a partner outage longer than the old fixed schedule, on the production retry
/// schedule (base 2 s, cap 5 min, window 24 h, 30 s circuit breaks) run on simulated time.
/// </summary>
public sealed class NotificationOutageTests
{
    private const int Referrals = 30;

    [Fact]
    public async Task Partner_DownForTenSimulatedMinutes_ReceivesEveryNotificationOnceInOrderAfterRecovery()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await NotificationGateway.StartAsync(new Dictionary<string, string?>
        {
            // The defaults, not the fast test schedule.
            ["Gateway:Notifications:PollInterval"] = null,
            ["Gateway:Notifications:RetryBase"] = null,
            ["Gateway:Notifications:RetryCap"] = null,
            ["Gateway:Notifications:CircuitBreakDuration"] = null,
            // Simulated time jumps while real requests are in flight: no attempt may time out between two jumps.
            ["Gateway:Notifications:AttemptTimeout"] = "00:01:00",
        }, clock: clock);
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        using (var psw = gateway.ClientFor(GatewayFixture.Psw))
        {
            for (var i = 0; i < Referrals; i++) await psw.SubmitReferralAsync(ReferralSamples.Native());
        }
        var expected = (await NotificationFlow.OutboxAsync(gateway, "pending")).Select(n => n!["deliveryId"]!.GetValue<string>()).ToList();
        Assert.Equal(Referrals, expected.Count);

        await RunClockAsync(clock, TimeSpan.FromMinutes(10), () => false);
        var duringOutage = endpoint.Received.ToList();
        endpoint.AlwaysFail = false;
        // Back: the next attempt comes within the cap (5 min) or the end of a circuit break, whichever is later.
        await RunClockAsync(clock, TimeSpan.FromMinutes(15), () => endpoint.Received.Count(r => r.Status == 200) >= Referrals);
        await Task.Delay(500);

        Assert.NotEmpty(duringOutage);
        // Only the oldest was tried while the partner was down: the rest waited behind it, in order.
        Assert.All(duringOutage, r => Assert.Equal(expected[0], r.DeliveryId));
        var delivered = endpoint.Received.Where(r => r.Status == 200).ToList();
        Assert.Equal(expected, delivered.Select(r => r.DeliveryId));
        var events = delivered.Select(r => NotificationFlow.EventNumber(r.Body)).ToList();
        Assert.Equal(events.Order(), events);
        Assert.Empty(await NotificationFlow.OutboxAsync(gateway, "dead"));
        Assert.Empty(await NotificationFlow.OutboxAsync(gateway, "pending"));
    }

    /// <summary>Moves simulated time on in 2 s steps, giving the worker real time to act on each, until the span passes or the condition holds.</summary>
    private static async Task RunClockAsync(FakeTimeProvider clock, TimeSpan span, Func<bool> done)
    {
        var until = clock.GetUtcNow() + span;
        while (clock.GetUtcNow() < until && !done())
        {
            clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(15);
        }
    }
}
