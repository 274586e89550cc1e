using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// One outside-generator run on one data set: the gateway (its Release build, its own process, on a
/// copy of the data) and the bare endpoint (its own process) side by side; start-up timed; tokens
/// fetched; every workload warmed up, then run in rounds so that the bare baseline is measured
/// between the others, while the target's RSS is sampled.
/// </summary>
public static class OutsideRun
{
    public static async Task<OutsideReport> ExecuteAsync(OutsideSettings settings, TextWriter log, CancellationToken ct)
    {
        var dataset = settings.Dataset;
        var manifest = dataset.ReadManifest();
        var autocannon = Autocannon.Locate(settings.AutocannonScript);
        if (!File.Exists(settings.GatewayDll))
        {
            throw new FileNotFoundException($"no gateway build at {settings.GatewayDll}: dotnet build src/ReferralExchange.Gateway -c Release");
        }
        var certificates = new DevCertificateFiles(dataset.CertificatesDirectory);
        var ca = certificates.LoadCaPublic();
        var run = Path.Combine(settings.RunRoot, $"{manifest.Referrals}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        var loadBefore = LoadAverage();

        log.WriteLine($"Copying the {manifest.Referrals:N0}-referral data set ({manifest.DatabaseBytes / 1e9:0.00} GB) for this run...");
        var copy = Stopwatch.StartNew();
        var data = dataset.CopyDataTo(Path.Combine(run, "data"));
        log.WriteLine($"  copied in {copy.Elapsed.TotalSeconds:0}s");

        var gatewayPort = FreePort();
        var gatewayUri = new Uri($"https://127.0.0.1:{gatewayPort}/");
        string[] gatewayArguments = [$"--Gateway:Port={gatewayPort}", .. dataset.GatewayArguments(data)];
        var startUps = new List<double>();
        ServerProcess? gateway = null;
        ServerProcess? bare = null;
        try
        {
            using var probe = PartnerHttp.Create(gatewayUri, certificates.LoadClient(ReferralTemplates.Provider), ca, TimeSpan.FromSeconds(5));
            Stopwatch? lastStart = null;
            for (var i = 0; i < settings.StartUps; i++)
            {
                if (gateway is not null) await gateway.DisposeAsync();
                var watch = Stopwatch.StartNew();
                gateway = ServerProcess.Start(settings.GatewayDll, gatewayArguments, RepositoryPaths.Root, Path.Combine(run, "gateway.log"));
                var ready = await gateway.WaitReadyAsync(watch, async c => (await probe.GetAsync("/fhir/metadata", c)).StatusCode == HttpStatusCode.OK,
                    // Minutes at a million referrals: the integrity guard rebuilds the Merkle tree from every record first (issue 12 §5).
                    TimeSpan.FromMinutes(20), ct);
                startUps.Add(ready.TotalSeconds);
                log.WriteLine($"  gateway start-up {i + 1}: {ready.TotalSeconds:0.00}s (RSS {ProcessMemory.Read(gateway.Id).RssBytes / 1e6:0} MB)");
                lastStart = watch;
            }
            // The records before the witnessed tip are re-checked in the background after a start
            // (ADR 0026): timed here, and over before any workload, so no workload pays for it.
            var recheck = await RecheckDoneAsync(probe, lastStart!, ct);
            log.WriteLine($"  audit re-check of the records before the witnessed tip done {recheck.TotalSeconds:0.0}s after the last start");

            var barePort = FreePort();
            var bareUri = new Uri($"https://127.0.0.1:{barePort}/");
            var bareStart = Stopwatch.StartNew();
            bare = ServerProcess.Start(typeof(OutsideRun).Assembly.Location, ["bare", "--certs", dataset.CertificatesDirectory, "--port", barePort.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                RepositoryPaths.Root, Path.Combine(run, "bare.log"));
            using var bareProbe = PartnerHttp.Create(bareUri, certificates.LoadClient(ReferralTemplates.Provider), ca, TimeSpan.FromSeconds(5));
            await bare.WaitReadyAsync(bareStart, async c => (await bareProbe.GetAsync("/fhir/Task", c)).IsSuccessStatusCode, TimeSpan.FromMinutes(1), ct);

            var providerRequest = new TokenRequest(ReferralTemplates.Provider, settings.TokenParameters);
            var providerToken = await providerRequest.FetchAsync(probe, ct);
            using var psw = PartnerHttp.Create(gatewayUri, certificates.LoadClient(ReferralTemplates.Psw), ca);
            var pswToken = await new TokenRequest(ReferralTemplates.Psw, settings.TokenParameters).FetchAsync(psw, ct);
            var workloads = WorkloadSet.Create(manifest, certificates, providerToken, pswToken, providerRequest)
                .Where(w => w.AgainstBare || settings.Only is null || w.Name.Contains(settings.Only, StringComparison.OrdinalIgnoreCase))
                .ToList();

            var inboxAlone = await InboxAloneAsync(gatewayUri, certificates, ca, providerToken, manifest, log, ct);
            await ProcessSettling.WaitIdleAsync(gateway!.Id, TimeSpan.FromSeconds(60), ct);

            log.WriteLine($"Warming up ({settings.Warmup.TotalSeconds:0}s each)...");
            foreach (var workload in workloads)
            {
                await autocannon.RunAsync(workload, workload.AgainstBare ? bareUri : gatewayUri, settings.Connections, settings.Warmup, settings.RequestTimeout, ct);
                await ProcessSettling.WaitIdleAsync((workload.AgainstBare ? bare : gateway!).Id, TimeSpan.FromSeconds(60), ct);
            }

            var measured = workloads.ToDictionary(w => w.Name, _ => new List<Measurement>());
            for (var round = 1; round <= settings.Repeats; round++)
            {
                foreach (var workload in workloads)
                {
                    var target = workload.AgainstBare ? bare : gateway!;
                    using var sampling = new CancellationTokenSource();
                    var rss = ProcessMemory.MaxRssWhileAsync(target.Id, sampling.Token);
                    var result = await autocannon.RunAsync(workload, workload.AgainstBare ? bareUri : gatewayUri, settings.Connections, settings.Duration, settings.RequestTimeout, ct);
                    await sampling.CancelAsync();
                    measured[workload.Name].Add(new Measurement(result, await rss));
                    var settled = await ProcessSettling.WaitIdleAsync(target.Id, TimeSpan.FromSeconds(60), ct);
                    log.WriteLine($"  round {round} {workload.Name}: {result.RequestsPerSecond:0.0} req/s, p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, " +
                        $"failed {result.Failed}, settled in {settled.TotalSeconds:0.0}s");
                }
            }

            return new OutsideReport(manifest, settings, workloads.Select(w => WorkloadSummary.From(w.Name, measured[w.Name])).ToList(),
                startUps, recheck.TotalSeconds, inboxAlone, ProcessMemory.Read(gateway!.Id).PeakBytes, ProcessMemory.Read(bare.Id).PeakBytes, loadBefore, LoadAverage(), DateTimeOffset.UtcNow);
        }
        finally
        {
            if (bare is not null) await bare.DisposeAsync();
            if (gateway is not null) await gateway.DisposeAsync();
            if (!settings.KeepRunData) Directory.Delete(Path.Combine(run, "data"), recursive: true);
        }
    }

    /// <summary>Polls /health/ready until the background re-check reports done (ADR 0026); the time since the last start.</summary>
    private static async Task<TimeSpan> RecheckDoneAsync(HttpClient probe, Stopwatch sinceStart, CancellationToken ct)
    {
        while (sinceStart.Elapsed < TimeSpan.FromMinutes(30))
        {
            var report = System.Text.Json.Nodes.JsonNode.Parse(await probe.GetStringAsync("/health/ready", ct));
            if (report?["checks"]?["audit-integrity"]?["data"]?["recheckDone"]?.GetValue<bool>() is true)
            {
                return sinceStart.Elapsed;
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException("the gateway's audit re-check was not done after 30 minutes");
    }

    /// <summary>Three inbox pages one after another on one connection, each allowed two minutes: the page's own latency.</summary>
    private static async Task<IReadOnlyList<SingleRequest>> InboxAloneAsync(Uri gatewayUri, DevCertificateFiles certificates,
        System.Security.Cryptography.X509Certificates.X509Certificate2 ca, string token, SeedManifest manifest, TextWriter log, CancellationToken ct)
    {
        using var client = PartnerHttp.Create(gatewayUri, certificates.LoadClient(ReferralTemplates.Provider), ca, TimeSpan.FromMinutes(2));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var results = new List<SingleRequest>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await client.GetAsync($"/fhir/Task?owner={manifest.Inbox}&status=requested&_count=20", ct);
                await response.Content.LoadIntoBufferAsync(ct);
                results.Add(new SingleRequest((int)response.StatusCode, watch.Elapsed.TotalMilliseconds, null));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                results.Add(new SingleRequest(0, watch.Elapsed.TotalMilliseconds, e.GetType().Name));
            }
            log.WriteLine($"  inbox page alone {i + 1}: {results[^1]}");
        }
        return results;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The 1-minute load average: how busy the shared machine was (the figures are only comparable as ratios).</summary>
    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
