using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Outside;
using ReferralExchange.Benchmarks.Seeding;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// One soak (issue 13 point 7): the gateway's Release build as its own process on a copy of a
/// seeded data set, the mixed load for the whole length, and the process sampled every few seconds
/// into a CSV written as it goes (a cut-short run keeps what it measured).
/// </summary>
public static class SoakRun
{
    public static async Task<SoakReport> ExecuteAsync(SoakSettings settings, TextWriter log, CancellationToken ct)
    {
        var dataset = settings.Dataset;
        var manifest = dataset.ReadManifest();
        if (!File.Exists(settings.GatewayDll))
        {
            throw new FileNotFoundException($"no gateway build at {settings.GatewayDll}: dotnet build src/ReferralExchange.Gateway -c Release");
        }
        var certificates = new DevCertificateFiles(dataset.CertificatesDirectory);
        var ca = certificates.LoadCaPublic();
        var run = Path.Combine(settings.RunRoot, $"soak-{manifest.Referrals}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        var loadBefore = ProcessSample.LoadAverageNow();
        log.WriteLine($"Copying the {manifest.Referrals:N0}-referral data set for this run...");
        var data = dataset.CopyDataTo(Path.Combine(run, "data"));

        var port = FreePort();
        var uri = new Uri($"https://127.0.0.1:{port}/");
        ServerProcess? gateway = null;
        try
        {
            using var probe = PartnerHttp.Create(uri, certificates.LoadClient(ReferralTemplates.Provider), ca, TimeSpan.FromSeconds(5));
            gateway = ServerProcess.Start(settings.GatewayDll, [$"--Gateway:Port={port}", .. dataset.GatewayArguments(data), .. settings.ExtraGatewayArguments],
                RepositoryPaths.Root, Path.Combine(run, "gateway.log"), settings.GatewayEnvironment);
            var ready = await gateway.WaitReadyAsync(Stopwatch.StartNew(), async c => (await probe.GetAsync("/fhir/metadata", c)).StatusCode == HttpStatusCode.OK,
                TimeSpan.FromMinutes(5), ct);
            log.WriteLine($"  gateway pid {gateway.Id} ready in {ready.TotalSeconds:0.0}s");

            var providerRequest = new TokenRequest(ReferralTemplates.Provider, settings.TokenParameters);
            var provider = new PartnerCredentials(certificates.LoadClient(ReferralTemplates.Provider), ca, await providerRequest.FetchAsync(probe, ct));
            using var police = PartnerHttp.Create(uri, certificates.LoadClient(ReferralTemplates.Psw), ca);
            var psw = new PartnerCredentials(certificates.LoadClient(ReferralTemplates.Psw), ca,
                await new TokenRequest(ReferralTemplates.Psw, settings.TokenParameters).FetchAsync(police, ct));

            var tally = new OperationTally();
            var traffic = new SoakTraffic(uri, psw, provider, providerRequest, manifest.Inbox, settings.RequestsPerSecond, tally);
            using var counters = RuntimeCounters.TryStart(gateway.Id, (int)Math.Max(1, settings.SampleEvery.TotalSeconds), log);
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var clock = Stopwatch.StartNew();
            var sampling = SampleAsync(gateway.Id, settings, counters, tally, clock, log, stopSampling.Token);
            log.WriteLine($"Soaking for {settings.Length.TotalMinutes:0} min at {settings.RequestsPerSecond:0.#} req/s ({settings.Workers} workers)...");
            await traffic.RunAsync(settings.Workers, settings.Length, ct);
            await stopSampling.CancelAsync();
            var (samples, maps) = await sampling;
            return new SoakReport(settings, samples, maps, tally.Summaries(), loadBefore, ProcessSample.LoadAverageNow(), DateTimeOffset.UtcNow);
        }
        finally
        {
            if (gateway is not null) await gateway.DisposeAsync();
            if (!settings.KeepRunData) Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Where the memory-map CSV goes: beside the samples' CSV.</summary>
    public static string MapsCsvPath(string csvPath) => Path.ChangeExtension(csvPath, ".maps.csv");

    private static async Task<(IReadOnlyList<ProcessSample>, IReadOnlyList<MapSample>)> SampleAsync(int pid, SoakSettings settings, RuntimeCounters? counters, OperationTally tally,
        Stopwatch clock, TextWriter log, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.CsvPath))!);
        await using var csv = new StreamWriter(settings.CsvPath, append: false) { AutoFlush = true };
        await csv.WriteLineAsync(ProcessSample.CsvHeader);
        await using var mapsCsv = settings.MapsEvery > TimeSpan.Zero ? new StreamWriter(MapsCsvPath(settings.CsvPath), append: false) { AutoFlush = true } : null;
        if (mapsCsv is not null) await mapsCsv.WriteLineAsync(MapSample.CsvHeader);
        var samples = new List<ProcessSample>();
        var maps = new List<MapSample>();
        using var timer = new PeriodicTimer(settings.SampleEvery);
        var lastLogged = TimeSpan.Zero;
        do
        {
            var (rss, threads, handles) = ProcessSample.ReadProc(pid);
            var sample = new ProcessSample(clock.Elapsed.TotalSeconds, rss, handles, threads, counters?.GcHeapMb, counters?.GcCommittedMb,
                tally.Requests, tally.Failures, ProcessSample.LoadAverageNow());
            samples.Add(sample);
            await csv.WriteLineAsync(sample.ToCsv());
            // Reading smaps walks every mapping (a few thousand lines): every few minutes, not every sample.
            if (mapsCsv is not null && (maps.Count == 0 || clock.Elapsed.TotalSeconds - maps[^1].ElapsedSeconds >= settings.MapsEvery.TotalSeconds))
            {
                var map = new MapSample(clock.Elapsed.TotalSeconds, MemoryMaps.ReadRssMbByKind(pid));
                maps.Add(map);
                await mapsCsv.WriteLineAsync(map.ToCsv());
            }
            if (clock.Elapsed - lastLogged >= TimeSpan.FromMinutes(1) || samples.Count == 1)
            {
                lastLogged = clock.Elapsed;
                log.WriteLine($"  {clock.Elapsed.TotalMinutes,5:0.0} min: RSS {rss:0} MB, GC heap {(sample.GcHeapMb is { } h ? $"{h:0}" : "n/a")} MB, " +
                    $"{handles} fds, {threads} threads, {sample.Requests:N0} requests ({sample.Failures:N0} failed), load {sample.LoadAverage:0.00}");
            }
        }
        while (await Tick(timer, ct));
        if (mapsCsv is not null)
        {
            // The last reading closes the run, so the table's "end" is the end.
            var last = new MapSample(clock.Elapsed.TotalSeconds, MemoryMaps.ReadRssMbByKind(pid));
            maps.Add(last);
            await mapsCsv.WriteLineAsync(last.ToCsv());
        }
        return (samples, maps);
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
