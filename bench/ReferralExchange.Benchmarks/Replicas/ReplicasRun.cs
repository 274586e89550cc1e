using System.Diagnostics;
using System.Globalization;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Outside;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>How a <c>replicas</c> run is made.</summary>
public sealed record ReplicasSettings(IReadOnlyList<Topology> Topologies, string GatewayDll, string AutocannonScript, int Referrals, int Connections,
    TimeSpan Duration, TimeSpan Warmup, int Repeats, TimeSpan RequestTimeout, IReadOnlyDictionary<string, string> TokenParameters, string RunRoot);

/// <summary>One topology's figures: the bare endpoint, the inbox page and the submission, with the machine's load around them.</summary>
public sealed record TopologyResult(Topology Topology, IReadOnlyList<WorkloadSummary> Workloads, double LoadBefore, double LoadAfter, DateTimeOffset Finished)
{
    public WorkloadSummary? Find(string prefix) => Workloads.FirstOrDefault(w => w.Name.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>
/// Issue 15's benchmark: for each topology, a fresh deployment seeded through the API, the bare
/// Kestrel mTLS endpoint (its own process, same certificates) beside it, and the submission and
/// inbox workloads (autocannon 9, client certificates, keep-alive) warmed up and then run in
/// rounds with the baseline between them, as <see cref="OutsideRun"/> does for one gateway.
/// </summary>
public static class ReplicasRun
{
    public static async Task<IReadOnlyList<TopologyResult>> ExecuteAsync(ReplicasSettings settings, TextWriter log, CancellationToken ct)
    {
        var autocannon = Autocannon.Locate(settings.AutocannonScript);
        if (!File.Exists(settings.GatewayDll))
        {
            throw new FileNotFoundException($"no gateway build at {settings.GatewayDll}: dotnet build src/ReferralExchange.Gateway -c Release");
        }
        var results = new List<TopologyResult>();
        foreach (var topology in settings.Topologies)
        {
            log.WriteLine($"{topology}:");
            results.Add(await RunOneAsync(topology, settings, autocannon, log, ct));
        }
        return results;
    }

    private static async Task<TopologyResult> RunOneAsync(Topology topology, ReplicasSettings settings, Autocannon autocannon, TextWriter log, CancellationToken ct)
    {
        var root = Path.Combine(settings.RunRoot, $"{topology.Provider}-{topology.Replicas}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        var loadBefore = LoadAverage();
        await using var deployment = await Deployment.StartAsync(topology, settings.GatewayDll, root, settings.Connections, log, ct);
        await InboxSeeder.SeedAsync(deployment, settings.Referrals, settings.TokenParameters, log, ct);

        var certificates = deployment.Certificates;
        var ca = certificates.LoadCaPublic();
        var barePort = Deployment.FreePort();
        var bareUri = new Uri($"https://127.0.0.1:{barePort}/");
        var bareStart = Stopwatch.StartNew();
        await using var bare = ServerProcess.Start(typeof(ReplicasRun).Assembly.Location,
            ["bare", "--certs", certificates.Directory, "--port", barePort.ToString(CultureInfo.InvariantCulture)], RepositoryPaths.Root, Path.Combine(root, "bare.log"));
        using (var bareProbe = PartnerHttp.Create(bareUri, certificates.LoadClient(ReferralTemplates.Provider), ca, TimeSpan.FromSeconds(5)))
        {
            await bare.WaitReadyAsync(bareStart, async c => (await bareProbe.GetAsync("/fhir/Task", c)).IsSuccessStatusCode, TimeSpan.FromMinutes(1), ct);
        }

        // Tokens through the deployment's own front door: with HAProxy, whichever replica it picks.
        using var provider = PartnerHttp.Create(deployment.Uri, certificates.LoadClient(ReferralTemplates.Provider), ca);
        var providerRequest = new TokenRequest(ReferralTemplates.Provider, settings.TokenParameters);
        var providerToken = await providerRequest.FetchAsync(provider, ct);
        using var psw = PartnerHttp.Create(deployment.Uri, certificates.LoadClient(ReferralTemplates.Psw), ca);
        var pswToken = await new TokenRequest(ReferralTemplates.Psw, settings.TokenParameters).FetchAsync(psw, ct);
        var manifest = new SeedManifest(settings.Referrals, settings.Referrals, 0, new Dictionary<string, int>(), "", $"Organization/{ReferralTemplates.Provider}",
            0, 0, 0, 0, DateTimeOffset.UtcNow);
        var workloads = WorkloadSet.Create(manifest, certificates, providerToken, pswToken, providerRequest)
            .Where(w => w.AgainstBare || w.Name.StartsWith(WorkloadSet.InboxPrefix, StringComparison.Ordinal) || w.Name == WorkloadSet.Submit)
            .ToList();

        async Task SettleAsync(Workload workload)
        {
            if (workload.AgainstBare)
            {
                await ProcessSettling.WaitIdleAsync(bare.Id, TimeSpan.FromSeconds(60), ct);
                return;
            }
            foreach (var id in deployment.GatewayIds) await ProcessSettling.WaitIdleAsync(id, TimeSpan.FromSeconds(60), ct);
        }

        foreach (var workload in workloads)
        {
            await autocannon.RunAsync(workload, workload.AgainstBare ? bareUri : deployment.Uri, settings.Connections, settings.Warmup, settings.RequestTimeout, ct);
            await SettleAsync(workload);
        }
        var measured = workloads.ToDictionary(w => w.Name, _ => new List<Measurement>());
        for (var round = 1; round <= settings.Repeats; round++)
        {
            foreach (var workload in workloads)
            {
                var result = await autocannon.RunAsync(workload, workload.AgainstBare ? bareUri : deployment.Uri, settings.Connections, settings.Duration, settings.RequestTimeout, ct);
                measured[workload.Name].Add(new Measurement(result, 0));
                await SettleAsync(workload);
                log.WriteLine($"  round {round} {workload.Name}: {result.RequestsPerSecond:0.0} req/s, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, " +
                    $"failed {result.Failed}, load {LoadAverage():0.0}");
            }
        }
        return new TopologyResult(topology, workloads.Select(w => WorkloadSummary.From(w.Name, measured[w.Name])).ToList(), loadBefore, LoadAverage(), DateTimeOffset.UtcNow);
    }

    /// <summary>The 1-minute load average: how busy the shared machine was.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
