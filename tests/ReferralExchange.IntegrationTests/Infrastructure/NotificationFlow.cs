using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>What notification tests do again and again: register and subscribe, wait, read the outbox as the operator.</summary>
public static partial class NotificationFlow
{
    /// <summary>The operator registers the endpoint's origin (the stand-in is local, hence --allow-local); the partner subscribes to its referrals as owner.</summary>
    public static async Task<string> SubscribeAsync(GatewayFixture gateway, string partner, PartnerEndpointStandIn endpoint, bool register = true)
    {
        if (register) await gateway.RegisterNotificationEndpointAsync(partner, endpoint.Endpoint);
        using var client = gateway.ClientFor(partner);
        var response = await client.PostFhirAsync("/fhir/Subscription", new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{partner}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = endpoint.Endpoint, ["payload"] = "application/fhir+json" },
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync())["id"]!.GetValue<string>();
    }

    /// <summary>The outbox rows of a status, as the operator endpoint lists them.</summary>
    public static async Task<JsonArray> OutboxAsync(GatewayFixture gateway, string status)
    {
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        using var response = await operatorClient.GetAsync($"/operator/notifications?status={status}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>The Backport IG event number a notification body announces.</summary>
    public static long EventNumber(string body) => long.Parse(EventNumberPattern().Match(body).Groups[1].Value);

    public static Task EventuallyAsync(Func<bool> condition, int seconds = 30) => EventuallyAsync(() => Task.FromResult(condition()), seconds);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail($"condition not met within {seconds} s");
    }

    [GeneratedRegex("\"event-number\",\"valueString\":\"(\\d+)\"")]
    private static partial Regex EventNumberPattern();
}
