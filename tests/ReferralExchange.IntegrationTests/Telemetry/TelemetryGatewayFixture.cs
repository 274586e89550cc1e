using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Telemetry;

/// <summary>
/// The real gateway with its OpenTelemetry pipeline switched on (Gateway:Telemetry:Enabled) and
/// in-memory exporters placed where the OTLP exporter would be: after the gateway's PHI scrubber.
/// It runs one scenario once (submissions native and FHIR, a rejected one, reads, searches with
/// identifying query values, a notification delivered to a partner endpoint and one dead-lettered
/// after a retry) and keeps what the
/// exporters received, and every secret the scenario used, for the tests to look through.
/// </summary>
public sealed class TelemetryGatewayFixture : GatewayFixture
{
    public const string ActingPerson = "Thaddeus Quillfeather";
    public const string QueryValue = "Vantablackwood";

    private readonly Lazy<Task> _scenario;
    private PartnerEndpointStandIn? _endpoint;

    public TelemetryGatewayFixture() => _scenario = new(RunScenarioAsync);

    public SynchronizedList<Activity> Spans { get; } = new();
    public SynchronizedList<MetricSnapshot> Metrics { get; } = new();
    public List<string> Secrets { get; } = [.. ReferralSamples.PersonData, ActingPerson, QueryValue];
    public string NativeTaskId { get; private set; } = string.Empty;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Gateway:Telemetry:Enabled", "true"),
        // Fast polls, so the checkpoint-lag gauges have values; a fixed origin, because a poll
        // before Kestrel has bound its port must not derive it from the listen address.
        new("Gateway:Audit:CheckpointPollInterval", "00:00:00.200"),
        new("Gateway:Audit:CheckpointOrigin", "localhost/audit"),
        new("Gateway:Notifications:PollInterval", "00:00:00.100"),
        // The FHIR submission's notification fails twice and is dead-lettered: retries and dead letters are counted.
        new("Gateway:Notifications:RetryBase", "00:00:00.050"),
        new("Gateway:Notifications:RetryCap", "00:00:00.200"),
        new("Gateway:Notifications:CircuitBreakDuration", "00:00:00.500"),
        new("Gateway:Notifications:MaxAttempts", "2"),
    ];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
    }

    public Task ScenarioAsync() => _scenario.Value;

    /// <summary>Collects the metrics now (the periodic reader would wait a minute).</summary>
    public IReadOnlyList<MetricSnapshot> FlushMetrics()
    {
        Metrics.Clear();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
        return Metrics.Snapshot();
    }

    private async Task RunScenarioAsync()
    {
        _endpoint = new PartnerEndpointStandIn(this);
        await RegisterNotificationEndpointAsync(BehavioralHealth, _endpoint.Endpoint);
        using var provider = ClientFor(BehavioralHealth);
        var subscription = await provider.PostFhirAsync("/fhir/Subscription", new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{BehavioralHealth}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = _endpoint.Endpoint, ["payload"] = "application/fhir+json" },
        }.ToJsonString());
        Assert.True(subscription.StatusCode == HttpStatusCode.Created, string.Join('\n', Logs.Lines.Where(l => l.Contains("\"@l\":\"Error") || l.Contains("@x")).Where(l => !l.Contains("checkpoint")).Take(3)));

        using var psw = ClientFor(Psw);
        psw.DefaultRequestHeaders.Add("X-Acting-Person", ActingPerson);
        var referral = ReferralSamples.Native();
        var (taskId, response) = await psw.SubmitReferralAsync(referral);
        NativeTaskId = taskId;
        var patientId = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/")).Split('/')[1];
        var personId = referral["person"]!["personId"]!.GetValue<string>();
        Secrets.AddRange([personId, referral["referralId"]!.GetValue<string>(), patientId, taskId]);

        // Delivered first (the trace test follows it); the next notification fails for good.
        await EventuallyAsync(() => _endpoint.Received.Any(r => r.Status == 200));
        _endpoint.Failures.Enqueue(503);
        _endpoint.Failures.Enqueue(503);

        var transactionId = "TX-" + Guid.NewGuid().ToString("N")[..10];
        Secrets.Add(transactionId);
        Assert.Equal(HttpStatusCode.Created, (await psw.PostFhirAsync("/fhir", TransactionSamples.Referral(transactionId, ifNoneExist: true).ToJsonString())).StatusCode);

        // Failures that put PHI where a value of another type is expected.
        var badDate = ReferralSamples.Native();
        badDate["person"]!["birthDate"] = ReferralSamples.FamilyName;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await psw.PostNativeAsync(badDate)).StatusCode);

        // Reads and searches with ids and identifying values in the path and the query.
        await provider.GetAsync($"/fhir/Patient/{patientId}");
        await provider.GetAsync($"/fhir/Task/{taskId}");
        await provider.GetAsync($"/fhir/Task?patient=Patient/{patientId}&_count=5");
        await provider.GetAsync($"/fhir/Task?patient.name={QueryValue}&identifier=urn:psw|{personId}");
        await psw.GetAsync($"/fhir/Patient/{patientId}?_elements={QueryValue}");
        await psw.GetAsync($"/no-such-endpoint/{patientId}?name={QueryValue}");

        await EventuallyAsync(() => _endpoint.Received.Any(r => r.Status == 200)
            && Spans.Snapshot().Any(s => s.OperationName == "rx.notification.deliver" && (s.GetTagItem("rx.notification.outcome") as string) == "delivered"));
        // The server span of the last request ends just after its response; the gauges need a poll.
        await EventuallyAsync(() => Spans.Snapshot().Any(s => s.Kind == ActivityKind.Server && (s.GetTagItem("http.route") as string ?? "").StartsWith("{*", StringComparison.Ordinal))
            || Spans.Snapshot().Count(s => s.Kind == ActivityKind.Server) >= 9);
        await EventuallyAsync(() => FlushMetrics().Any(m => m.Name == "rx.notifications.dead_letters"));
        await EventuallyAsync(() => FlushMetrics().Any(m => m.Name == "rx.audit.checkpoint.age"));
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met within 30 s");
    }

    public override async Task DisposeAsync()
    {
        _endpoint?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>A list the exporters can add to while a test reads a copy.</summary>
public sealed class SynchronizedList<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count { get { lock (_items) return _items.Count; } }
    public bool IsReadOnly => false;

    public List<T> Snapshot() { lock (_items) return [.. _items]; }
    public void Add(T item) { lock (_items) _items.Add(item); }
    public void Clear() { lock (_items) _items.Clear(); }
    public bool Contains(T item) { lock (_items) return _items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (_items) return _items.Remove(item); }
    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Run alone, after the parallel classes: the SDK's listeners attach to every meter and source of
/// that name in the process, so another test host's instruments would be aggregated into this one's
/// streams, and that host's disposal would end them (one gateway per process in production).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (alone)";
}
