using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Notifications;

/// <summary>
/// Rest-hook notifications through a real gateway to a partner endpoint played by WireMock.Net over
/// HTTPS that checks the gateway's client certificate. Each test owns its gateway (fast retries).
/// Written once, run on SQLite (<see cref="NotificationTests"/>) and on PostgreSQL
/// (<see cref="NotificationTestsOnPostgreSql"/>, issue 15 §2).
/// </summary>
public abstract class NotificationSpec
{
    /// <summary>The database a test's gateway runs on.</summary>
    protected virtual TestDatabase NewDatabase() => TestDatabase.Sqlite();

    private Task<FastGateway> StartAsync(int maxAttempts = FastGateway.MaxAttempts) => FastGateway.StartAsync(null, maxAttempts, NewDatabase());

    [Fact]
    public async Task Delivery_WhenTheEndpointFailsThreeTimes_ArrivesOnceWithOneDeliveryId()
    {
        await using var gateway = await StartAsync();
        using var endpoint = new PartnerEndpointStandIn(gateway);
        await SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        foreach (var _ in Enumerable.Range(0, 3)) endpoint.Failures.Enqueue(503);

        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        await EventuallyAsync(() => endpoint.Received.Any(r => r.Status == 200));
        await Task.Delay(500);

        var received = endpoint.Received.ToList();
        Assert.Equal(4, received.Count);
        Assert.Single(received.Select(r => r.DeliveryId).Distinct());
        Assert.Single(received, r => r.Status == 200);
        Assert.Contains($"Task/{taskId}", received[^1].Body);
        Assert.DoesNotContain(ReferralSamples.FamilyName, received[^1].Body);
    }

    [Fact]
    public async Task Delivery_FailingBeyondTheAttemptLimit_IsDeadLetteredForTheOperator()
    {
        await using var gateway = await StartAsync();
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        await SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);

        JsonArray dead = [];
        await EventuallyAsync(async () =>
        {
            dead = JsonNode.Parse(await (await operatorClient.GetAsync("/operator/notifications?status=dead")).Content.ReadAsStringAsync())!.AsArray();
            return dead.Count > 0;
        });

        var letter = Assert.Single(dead)!;
        Assert.Equal(taskId, letter["taskId"]!.GetValue<string>());
        Assert.Equal(FastGateway.MaxAttempts, letter["attempts"]!.GetValue<int>());
        Assert.Equal(FastGateway.MaxAttempts, endpoint.Received.Count);
    }

    [Fact]
    public async Task Delivery_AfterConsentWasRevoked_IsNotSent()
    {
        await using var gateway = await StartAsync();
        using var endpoint = new PartnerEndpointStandIn(gateway) { AlwaysFail = true };
        await SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (_, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        await EventuallyAsync(() => !endpoint.Received.IsEmpty);
        var consentId = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Consent/")).Split('/')[1];

        Assert.Equal(HttpStatusCode.OK, (await psw.PostAsync($"/fhir/Consent/{consentId}/$revoke", null)).StatusCode);
        endpoint.AlwaysFail = false;
        await Task.Delay(1500);

        Assert.DoesNotContain(endpoint.Received, r => r.Status == 200);
    }

    [Fact]
    public async Task Backlog_SurvivesAGatewayRestart_AndIsDeliveredAfterwards()
    {
        // Many attempts allowed: the backlog must still be pending when the gateway stops.
        var first = await StartAsync(maxAttempts: 1000);
        first.DeleteOnDispose = false;
        var endpoint = new PartnerEndpointStandIn(first) { AlwaysFail = true };
        await SubscribeAsync(first, GatewayFixture.BehavioralHealth, endpoint);
        using (var psw = first.ClientFor(GatewayFixture.Psw))
        {
            for (var i = 0; i < 3; i++) await psw.SubmitReferralAsync(ReferralSamples.Native());
        }
        await first.DisposeAsync();
        endpoint.AlwaysFail = false;

        await using var second = await FastGateway.StartAsync(first.RootDirectory, 1000, first.Database);
        try
        {
            await EventuallyAsync(() => endpoint.Received.Where(r => r.Status == 200).Select(r => r.DeliveryId).Distinct().Count() == 3);
            Assert.Equal(3, endpoint.Received.Where(r => r.Status == 200).Select(r => r.DeliveryId).Distinct().Count());
        }
        finally
        {
            endpoint.Dispose();
        }
    }

    [Fact]
    public async Task Subscription_ToAnotherPartnersReferrals_IsForbidden()
    {
        await using var gateway = await StartAsync();
        using var housing = gateway.ClientFor(GatewayFixture.Housing);
        var response = await housing.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.BehavioralHealth}", "https://localhost:1/hook").ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Subscription_WithAPlainHttpEndpoint_IsRefused()
    {
        await using var gateway = await StartAsync();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var response = await provider.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.BehavioralHealth}", "http://localhost:1/hook").ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Subscription.channel.endpoint", (await response.JsonAsync()).IssueExpressions());
    }

    // ---- where notifications may go (issue 10, finding 7) ------------------------------------

    [Fact]
    public async Task Subscription_ToAnUnregisteredLoopbackEndpoint_IsRefused()
    {
        await using var gateway = await StartAsync();
        using var listening = new PartnerEndpointStandIn(gateway);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        foreach (var target in new[] { "https://127.0.0.1:9/hook", "https://[::1]:9/hook", listening.Endpoint, $"https://localhost:{gateway.BaseAddress.Port}/fhir/Task" })
        {
            var response = await provider.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.BehavioralHealth}", target).ToJsonString());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("Subscription.channel.endpoint", (await response.JsonAsync()).IssueExpressions());
        }
    }

    [Fact]
    public async Task Subscription_ToAnUnregisteredHost_IsRefused()
    {
        await using var gateway = await StartAsync();
        await gateway.RegisterNotificationEndpointAsync(GatewayFixture.BehavioralHealth, "https://hooks.bh-riverside.example/fhir");
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        foreach (var target in new[] { "https://169.254.169.254/latest/meta-data", "https://attacker.example/hook", "https://hooks.bh-riverside.example:8443/fhir", "https://user@hooks.bh-riverside.example/fhir" })
        {
            var response = await provider.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.BehavioralHealth}", target).ToJsonString());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("Subscription.channel.endpoint", (await response.JsonAsync()).IssueExpressions());
        }
        var registered = await provider.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.BehavioralHealth}", "https://hooks.bh-riverside.example/fhir/any/path").ToJsonString());
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task Subscription_ToAnotherPartnersRegisteredEndpoint_IsRefused()
    {
        await using var gateway = await StartAsync();
        using var endpoint = new PartnerEndpointStandIn(gateway);
        await gateway.RegisterNotificationEndpointAsync(GatewayFixture.BehavioralHealth, endpoint.Endpoint);
        using var housing = gateway.ClientFor(GatewayFixture.Housing);

        var response = await housing.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{GatewayFixture.Housing}", endpoint.Endpoint).ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task EndpointRegistration_OfLocalOrPlainHttpAddresses_IsRefusedWithoutTheDevelopmentSwitch()
    {
        await using var gateway = await StartAsync();
        foreach (var url in new[] { "https://127.0.0.1:8443/hook", "https://localhost/hook", "https://169.254.169.254/", "https://[::1]/", "http://hooks.bh-riverside.example/" })
        {
            Assert.Equal(2, await RxAsync(gateway, "partner", "endpoints", "add", "--id", GatewayFixture.BehavioralHealth, "--url", url));
        }
        var output = new StringWriter();
        Assert.Equal(0, await RxAsync(gateway, "partner", "endpoints", "add", "--id", GatewayFixture.BehavioralHealth, "--url", "https://Hooks.BH-Riverside.example/fhir"));
        Assert.Equal(0, await ReferralExchange.Cli.CliApp.RunAsync(["partner", "endpoints", "list", "--id", GatewayFixture.BehavioralHealth, .. DatabaseArguments(gateway)], output));
        Assert.Equal("https://hooks.bh-riverside.example:443", output.ToString().Trim());
    }

    [Fact]
    public async Task Delivery_AfterTheEndpointWasRemoved_IsNotSent()
    {
        await using var gateway = await StartAsync();
        using var endpoint = new PartnerEndpointStandIn(gateway);
        await SubscribeAsync(gateway, GatewayFixture.BehavioralHealth, endpoint);
        Assert.Equal(0, await RxAsync(gateway, "partner", "endpoints", "remove", "--id", GatewayFixture.BehavioralHealth, "--url", endpoint.Endpoint));

        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        await Task.Delay(1500);

        Assert.Empty(endpoint.Received);
    }

    private static Task<int> RxAsync(GatewayFixture gateway, params string[] args) =>
        ReferralExchange.Cli.CliApp.RunAsync([.. args, .. DatabaseArguments(gateway)], new StringWriter());

    /// <summary>How rx names the gateway's database: its SQLite file, or the server database as the runtime role.</summary>
    private static string[] DatabaseArguments(GatewayFixture gateway) => gateway.Database is PostgreSqlTestDatabase postgres
        ? ["--provider", "postgresql", "--connection-string", postgres.RuntimeConnectionString]
        : ["--database", gateway.DatabasePath];

    private static async Task SubscribeAsync(GatewayFixture gateway, string partner, PartnerEndpointStandIn endpoint)
    {
        // The operator registers the partner's endpoint first; the stand-in runs on this host, hence --allow-local.
        await gateway.RegisterNotificationEndpointAsync(partner, endpoint.Endpoint);
        using var client = gateway.ClientFor(partner);
        var response = await client.PostFhirAsync("/fhir/Subscription", Subscription($"Task?owner=Organization/{partner}", endpoint.Endpoint).ToJsonString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static JsonObject Subscription(string criteria, string endpoint) => new()
    {
        ["resourceType"] = "Subscription",
        ["status"] = "requested",
        ["reason"] = "My inbox",
        ["criteria"] = criteria,
        ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = endpoint, ["payload"] = "application/fhir+json" },
    };

    private static Task EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within 15 s");
    }

    private sealed class FastGateway : GatewayFixture, IAsyncDisposable
    {
        public const int MaxAttempts = 4;

        private readonly int _maxAttempts;

        private FastGateway(string? root, int maxAttempts, TestDatabase database) : base(root, database) => _maxAttempts = maxAttempts;

        public static async Task<FastGateway> StartAsync(string? root, int maxAttempts, TestDatabase database)
        {
            var gateway = new FastGateway(root, maxAttempts, database);
            await gateway.InitializeAsync();
            return gateway;
        }

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Gateway:Notifications:PollInterval", "00:00:00.100"),
            new("Gateway:Notifications:RetryBase", "00:00:00.050"),
            new("Gateway:Notifications:RetryCap", "00:00:00.200"),
            // Polly's shortest break: a failing endpoint is probed again soon.
            new("Gateway:Notifications:CircuitBreakDuration", "00:00:00.500"),
            new("Gateway:Notifications:MaxAttempts", _maxAttempts.ToString()),
        ];

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}

/// <summary>The tests above on a SQLite file.</summary>
public sealed class NotificationTests : NotificationSpec;

/// <summary>The tests above on a PostgreSQL database of their own (owner and runtime roles, ADR 0017).</summary>
public sealed class NotificationTestsOnPostgreSql : NotificationSpec
{
    protected override TestDatabase NewDatabase() => TestDatabase.PostgreSql();
}
