using System.Net;
using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>The operator's view: verification reports and checkpoints.</summary>
public static class AuditClient
{
    public static async Task<(HttpStatusCode Status, JsonObject Report)> VerifyAsync(this GatewayFixture gateway, string mode = "full")
    {
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        var response = await operatorClient.GetAsync($"/operator/audit/verify?mode={mode}");
        return (response.StatusCode, await response.JsonAsync());
    }

    public static async Task<long> CheckpointAsync(this GatewayFixture gateway)
    {
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        var response = await operatorClient.PostAsync("/operator/audit/checkpoints", null);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"checkpoint answered {(int)response.StatusCode}");
        }
        return (await response.JsonAsync())["sequence"]!.GetValue<long>();
    }

    /// <summary>Some ordinary traffic: submissions, reads and a search, each leaving audit records.</summary>
    public static async Task GenerateTrafficAsync(this GatewayFixture gateway, int referrals = 3)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        for (var i = 0; i < referrals; i++)
        {
            var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
            (await provider.GetAsync($"/fhir/Task/{taskId}")).EnsureSuccessStatusCode();
        }
        (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}")).EnsureSuccessStatusCode();
    }
}
