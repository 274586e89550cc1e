using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 15 §5, ADR 0020: the checked-in HAProxy configuration, run by Debian's haproxy, in front of
/// two gateway processes on one PostgreSQL database. The demo story completes through it with one
/// gateway stopped halfway. Passthrough is what makes it work at all: every step needs the partner's
/// own client certificate at the gateway (the handshake demands it and the access token is bound to
/// it, RFC 8705), and the server certificate the client checks is the gateway's, not HAProxy's.
/// </summary>
public sealed class LoadBalancerTests
{
    [Fact]
    public async Task DemoStory_ThroughHaproxy_CompletesWithOneGatewayStoppedHalfway()
    {
        var database = new PostgreSqlTestDatabase();
        await database.PrepareAsync();
        var root = Path.Combine(Path.GetTempPath(), "rx-lbt-" + Guid.NewGuid().ToString("N")[..12]);
        var lbPort = GatewayProcess.FreePort();
        // Both replicas are one gateway to partners: one public URL (the balancer's), hence one token issuer.
        var settings = new Dictionary<string, string> { ["Gateway__PublicBaseUrl"] = $"https://localhost:{lbPort}" };
        var certificates = new DevCertificateFiles(Path.Combine(root, "certs"));
        try
        {
            // The first start creates the development certificates; the second replica uses them.
            await using var gw1 = ReplicaProcess.Start(root, database, settings);
            (await gw1.ClientAsync(root, GatewayFixture.Operator)).Dispose();
            await using var gw2 = ReplicaProcess.Start(root, database, settings);
            (await gw2.ClientAsync(root, GatewayFixture.Operator)).Dispose();
            await using var haproxy = HaproxyProcess.Start(certificates, GatewayFixture.Operator, lbPort, gw1.Port, gw2.Port);

            // The balancer's probe reaches /health/ready with its own certificate: both replicas stay up.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.False(haproxy.HasExited, string.Join('\n', haproxy.Lines));
            Assert.DoesNotContain(haproxy.Lines, l => l.Contains("is DOWN", StringComparison.Ordinal));

            // The PSW submits; the provider reads its inbox and accepts.
            JsonObject submitted;
            using (var psw = await ViaBalancer(root, lbPort, GatewayFixture.Psw))
            {
                var response = await psw.PostNativeAsync(ReferralSamples.Native());
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                submitted = await response.JsonAsync();
            }
            string Of(string type) => submitted["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith(type + "/", StringComparison.Ordinal)).Split('/')[1];
            var taskId = Of("Task");
            using (var provider = await ViaBalancer(root, lbPort, GatewayFixture.BehavioralHealth))
            {
                var inbox = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&status=requested")).JsonAsync();
                Assert.Contains(inbox["entry"]!.AsArray(), e => e!["resource"]!["id"]!.GetValue<string>() == taskId);
                Assert.Equal(HttpStatusCode.OK, (await MoveAsync(provider, taskId, "accepted")).StatusCode);
            }

            // Halfway: one replica stops. The balancer marks it down and sends everyone to the other.
            await gw1.StopAsync();
            await NotificationFlow.EventuallyAsync(() => haproxy.Lines.Any(l => l.Contains("gw1 is DOWN", StringComparison.Ordinal)), seconds: 30);

            string procedure;
            using (var provider = await ViaBalancer(root, lbPort, GatewayFixture.BehavioralHealth))
            {
                var recorded = await provider.PostFhirAsync("/fhir/Procedure", new JsonObject
                {
                    ["resourceType"] = "Procedure",
                    ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{Of("ServiceRequest")}" }),
                    ["status"] = "completed",
                    ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/delivered-service", ["code"] = "intake-appointment-attended" }) },
                    ["subject"] = new JsonObject { ["reference"] = $"Patient/{Of("Patient")}" },
                    ["performedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                }.ToJsonString());
                Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
                procedure = $"Procedure/{(await recorded.JsonAsync())["id"]!.GetValue<string>()}";
                var completed = await MoveAsync(provider, taskId, "completed", new JsonObject
                {
                    ["type"] = new JsonObject { ["text"] = "delivered" },
                    ["valueReference"] = new JsonObject { ["reference"] = procedure },
                });
                Assert.True(completed.StatusCode == HttpStatusCode.OK, await completed.Content.ReadAsStringAsync());
            }

            // The PSW sees the loop closed.
            using (var psw = await ViaBalancer(root, lbPort, GatewayFixture.Psw))
            {
                var tracking = JsonNode.Parse(await (await psw.GetAsync("/referrals/tracking")).Content.ReadAsStringAsync())!.AsArray();
                var mine = tracking.Single(t => t!["taskId"]!.GetValue<string>() == taskId)!;
                Assert.True(mine["delivered"]!.GetValue<bool>());
                Assert.Equal(HttpStatusCode.OK, (await psw.GetAsync($"/fhir/{procedure}")).StatusCode);
            }
        }
        finally
        {
            await database.DropAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            try { Directory.Delete(DevCertificateFiles.DefaultCaDirectory(certificates.Directory), recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A fresh client (new connection, new token) through the balancer for each step: whichever replica it lands on.</summary>
    private static Task<HttpClient> ViaBalancer(string root, int lbPort, string partner) => GatewayProcess.ReadyClientAsync(root, lbPort, partner);

    private static async Task<HttpResponseMessage> MoveAsync(HttpClient owner, string taskId, string status, JsonObject? output = null)
    {
        var task = await (await owner.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = status;
        if (output is not null) task["output"] = new JsonArray(output);
        return await owner.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
    }
}
