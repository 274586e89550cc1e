using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>
/// The per-origin circuit breaker: a dead partner endpoint stops being called after a few failures,
/// while another partner endpoint on the same gateway keeps receiving every notification.
/// </summary>
public sealed class NotificationCircuitBreakerTests
{
    [Fact]
    public async Task CircuitBreaker_ForADeadEndpoint_StopsAttemptsWhileAnotherEndpointIsServed()
    {
        const int referrals = 10, deadSubscriptions = 6;
        await using var gateway = await NotificationGateway.StartAsync(new Dictionary<string, string?>
        {
            // Long enough that the whole test runs inside one break.
            ["Gateway:Notifications:CircuitBreakDuration"] = "00:01:00",
        });
        using var dead = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        using var live = new PartnerEndpointStandIn(gateway);
        await gateway.RegisterNotificationEndpointAsync(GatewayFixture.BehavioralHealth, dead.Endpoint);
        for (var i = 0; i < deadSubscriptions; i++) await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, dead, register: false);
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, live);

        using (var psw = gateway.ClientFor(GatewayFixture.Psw))
        {
            for (var i = 0; i < referrals; i++) await psw.SubmitReferralAsync(ReferralSamples.Native());
        }
        await NotificationFlow.EventuallyAsync(() => live.Received.Count(r => r.Status == 200) == referrals);
        await Task.Delay(1000);
        var deadAttempts = dead.Received.Count;
        // Without a breaker, six subscriptions retrying every 200 ms or less would call it dozens of times a second.
        await Task.Delay(2000);

        Assert.Equal(deadAttempts, dead.Received.Count);
        Assert.InRange(deadAttempts, 1, 12);
        Assert.Equal(referrals, live.Received.Count);
        var waiting = await NotificationFlow.OutboxAsync(gateway, "pending");
        Assert.Equal(referrals * deadSubscriptions, waiting.Count);
        Assert.Contains(waiting, n => n!["lastError"]?.GetValue<string>()?.StartsWith("circuit open") == true);
    }
}
