using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>Dead letters are re-driven by the operator (endpoint or rx), audited, and delivered with their original delivery id.</summary>
public sealed class NotificationRedriveTests
{
    [Fact]
    public async Task Redrive_OfADeadLetterByTheOperatorEndpoint_DeliversItWithItsDeliveryId_AndIsAudited()
    {
        await using var gateway = await NotificationGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Notifications:MaxAttempts"] = "2" });
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        var deliveryId = await DeadLetterAsync(gateway, endpoint);

        endpoint.AlwaysFail = false;
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        using var response = await operatorClient.PostAsync($"/operator/notifications/{deliveryId}/redrive", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await NotificationFlow.EventuallyAsync(() => endpoint.Received.Any(r => r.Status == 200));
        Assert.All(endpoint.Received, r => Assert.Equal(deliveryId, r.DeliveryId));
        Assert.Single(endpoint.Received, r => r.Status == 200);
        Assert.Empty(await NotificationFlow.OutboxAsync(gateway, "dead"));
        Assert.Equal(1, Database.Count(gateway, "AuditRecords", $"PartnerId = '{GatewayFixture.Operator}' AND CAST(Payload AS TEXT) LIKE '%re-drove 1 dead-letter notification(s): {deliveryId}%'"));
    }

    [Fact]
    public async Task Redrive_ByAPartnerThatIsNotTheOperator_IsForbidden()
    {
        await using var gateway = await NotificationGateway.StartAsync();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        Assert.Equal(HttpStatusCode.Forbidden, (await provider.PostAsync("/operator/notifications/dead/redrive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await provider.GetAsync("/operator/notifications")).StatusCode);
    }

    [Fact]
    public async Task Redrive_OfAnUnknownDeliveryId_IsNotFound()
    {
        await using var gateway = await NotificationGateway.StartAsync();
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);

        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsync($"/operator/notifications/{Guid.NewGuid()}/redrive", null)).StatusCode);
    }

    [Fact]
    public async Task RxNotifications_ListDeadThenRedriveAllDead_DeliversTheDeadLetter()
    {
        await using var gateway = await NotificationGateway.StartAsync(new Dictionary<string, string?> { ["Gateway:Notifications:MaxAttempts"] = "2" });
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        var deliveryId = await DeadLetterAsync(gateway, endpoint);

        var listed = new StringWriter();
        Assert.Equal(0, await ReferralExchange.Cli.CliApp.RunAsync(["notifications", "list", "--dead", "--database", gateway.DatabasePath], listed));
        Assert.Contains(deliveryId, listed.ToString());
        Assert.Contains("endpoint answered 503", listed.ToString());
        Assert.Equal(2, await ReferralExchange.Cli.CliApp.RunAsync(["notifications", "redrive", "--database", gateway.DatabasePath], new StringWriter()));

        endpoint.AlwaysFail = false;
        var output = new StringWriter();
        Assert.Equal(0, await ReferralExchange.Cli.CliApp.RunAsync(["notifications", "redrive", "--all-dead", "--database", gateway.DatabasePath], output));

        Assert.Contains($"re-driven {deliveryId}", output.ToString());
        await NotificationFlow.EventuallyAsync(() => endpoint.Received.Any(r => r.Status == 200));
        Assert.All(endpoint.Received, r => Assert.Equal(deliveryId, r.DeliveryId));
        Assert.Equal(1, Database.Count(gateway, "AuditRecords", "PartnerId = '(operator-cli)' AND CAST(Payload AS TEXT) LIKE '%re-drove 1 dead-letter%'"));
        Assert.Equal(2, await ReferralExchange.Cli.CliApp.RunAsync(["notifications", "redrive", deliveryId, "--database", gateway.DatabasePath], new StringWriter()));
    }

    private static async Task<string> DeadLetterAsync(GatewayFixture gateway, PartnerEndpointStandIn endpoint)
    {
        await NotificationFlow.SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        System.Text.Json.Nodes.JsonArray dead = [];
        await NotificationFlow.EventuallyAsync(async () => (dead = await NotificationFlow.OutboxAsync(gateway, "dead")).Count == 1);
        return dead[0]!["deliveryId"]!.GetValue<string>();
    }
}
