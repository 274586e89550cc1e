using System.Globalization;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// What a soak found: the samples, the traffic per operation, and the memory verdict. Memory
/// "levels off" when the resident set's least-squares slope over the second half of the run is
/// within <see cref="LevelOffMbPerMinute"/>: the first half holds the warm-up (JIT, caches, the
/// GC finding its budget), the second half is what a long-running process would keep doing.
/// </summary>
public sealed record SoakReport(SoakSettings Settings, IReadOnlyList<ProcessSample> Samples, IReadOnlyList<MapSample> Maps, IReadOnlyList<OperationSummary> Operations,
    double LoadBefore, double LoadAfter, DateTimeOffset Finished)
{
    public const double LevelOffMbPerMinute = 0.5;

    private IReadOnlyList<ProcessSample> SecondHalf => Samples.Where(s => s.ElapsedSeconds >= Samples[^1].ElapsedSeconds / 2).ToList();

    public double RssSlopeSecondHalf => Slope(SecondHalf, s => s.RssMb);
    public double RssSlopeWhole => Slope(Samples, s => s.RssMb);
    public double HandleSlopeSecondHalf => Slope(SecondHalf, s => s.Handles);
    public double? GcHeapSlopeSecondHalf => SecondHalf.All(s => s.GcHeapMb is not null) && SecondHalf.Count > 1 ? Slope(SecondHalf, s => s.GcHeapMb!.Value) : null;
    public bool LevelsOff => Math.Abs(RssSlopeSecondHalf) <= LevelOffMbPerMinute;

    /// <summary>Least-squares slope of <paramref name="value"/> against time, per minute.</summary>
    public static double Slope(IReadOnlyList<ProcessSample> samples, Func<ProcessSample, double> value) => Slope(samples, s => s.ElapsedSeconds, value);

    private static double Slope<T>(IReadOnlyList<T> samples, Func<T, double> seconds, Func<T, double> value)
    {
        if (samples.Count < 2) return 0;
        var meanT = samples.Average(s => seconds(s) / 60);
        var meanV = samples.Average(value);
        var covariance = samples.Sum(s => (seconds(s) / 60 - meanT) * (value(s) - meanV));
        var variance = samples.Sum(s => Math.Pow(seconds(s) / 60 - meanT, 2));
        return variance == 0 ? 0 : covariance / variance;
    }

    /// <summary>Resident memory by mapping kind: which one grows (issue 13 point 7 asks whether memory levels off, and if not, why).</summary>
    private void WriteMaps(TextWriter w)
    {
        string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        var half = Maps[^1].ElapsedSeconds / 2;
        var secondHalf = Maps.Where(m => m.ElapsedSeconds >= half).ToList();
        w.WriteLine($"RSS by mapping kind (/proc/<pid>/smaps, {Maps.Count} readings: {MapsCsvPathText})");
        w.WriteLine();
        w.WriteLine("| mapping kind | start (MB) | end (MB) | max (MB) | slope, second half (MB/min) |");
        w.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var kind in MemoryMaps.Kinds)
        {
            w.WriteLine($"| {kind} | {F(Maps[0].RssMbByKind[kind])} | {F(Maps[^1].RssMbByKind[kind])} | {F(Maps.Max(m => m.RssMbByKind[kind]))} | {F(MapSlope(secondHalf, kind), "+0.00;-0.00;0.00")} |");
        }
        w.WriteLine();
    }

    private string MapsCsvPathText => SoakRun.MapsCsvPath(Settings.CsvPath);

    private static double MapSlope(IReadOnlyList<MapSample> maps, string kind) => Slope(maps, m => m.ElapsedSeconds, m => m.RssMbByKind[kind]);

    public void Write(TextWriter w)
    {
        string F(double v, string format = "0.0") => v.ToString(format, CultureInfo.InvariantCulture);
        string G(double? v) => v is { } x ? F(x) : "n/a";
        var first = Samples[0];
        var last = Samples[^1];
        var minutes = last.ElapsedSeconds / 60;
        w.WriteLine($"Soak: {F(minutes)} min against {Settings.GatewayDll}");
        w.WriteLine($"  data set {Settings.Dataset.Directory}, target {F(Settings.RequestsPerSecond)} req/s over {Settings.Workers} workers, sampled every {F(Settings.SampleEvery.TotalSeconds, "0")} s");
        if (Settings.GatewayEnvironment.Count > 0) w.WriteLine($"  gateway environment: {string.Join(' ', Settings.GatewayEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        w.WriteLine($"  load average (1 min) before {F(LoadBefore, "0.00")}, after {F(LoadAfter, "0.00")}, mean over the run {F(Samples.Average(s => s.LoadAverage), "0.00")} (2 shared cores)");
        w.WriteLine($"  requests {last.Requests:N0} ({F(last.Requests / Math.Max(1, last.ElapsedSeconds))} req/s), failed {last.Failures:N0}");
        w.WriteLine();
        w.WriteLine("| figure | start | end | max | slope, second half (/min) | slope, whole run (/min) |");
        w.WriteLine("| --- | --- | --- | --- | --- | --- |");
        w.WriteLine($"| RSS (MB) | {F(first.RssMb)} | {F(last.RssMb)} | {F(Samples.Max(s => s.RssMb))} | {F(RssSlopeSecondHalf, "+0.00;-0.00;0.00")} | {F(RssSlopeWhole, "+0.00;-0.00;0.00")} |");
        if (Samples.Any(s => s.GcHeapMb is not null))
        {
            w.WriteLine($"| GC heap (MB) | {G(first.GcHeapMb)} | {G(last.GcHeapMb)} | {G(Samples.Max(s => s.GcHeapMb))} | {(GcHeapSlopeSecondHalf is { } g ? F(g, "+0.00;-0.00;0.00") : "n/a")} | " +
                $"{(Samples.All(s => s.GcHeapMb is not null) ? F(Slope(Samples, s => s.GcHeapMb!.Value), "+0.00;-0.00;0.00") : "n/a")} |");
            w.WriteLine($"| GC committed (MB) | {G(first.GcCommittedMb)} | {G(last.GcCommittedMb)} | {G(Samples.Max(s => s.GcCommittedMb))} | | |");
        }
        w.WriteLine($"| handles (fd) | {first.Handles} | {last.Handles} | {Samples.Max(s => s.Handles)} | {F(HandleSlopeSecondHalf, "+0.00;-0.00;0.00")} | {F(Slope(Samples, s => s.Handles), "+0.00;-0.00;0.00")} |");
        w.WriteLine($"| threads | {first.Threads} | {last.Threads} | {Samples.Max(s => s.Threads)} | {F(Slope(SecondHalf, s => s.Threads), "+0.00;-0.00;0.00")} | |");
        w.WriteLine();
        if (Maps.Count > 1)
        {
            WriteMaps(w);
        }
        w.WriteLine("| operation | requests | failed | p50 ms | p99 ms |");
        w.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var o in Operations)
        {
            w.WriteLine($"| {o.Operation} | {o.Count:N0} | {o.Failed:N0}{(o.Failed > 0 ? $" ({o.FailedByStatus})" : "")} | {F(o.P50Ms)} | {F(o.P99Ms)} |");
        }
        w.WriteLine();
        w.WriteLine(LevelsOff
            ? $"Verdict: memory levels off (RSS slope over the second half {F(RssSlopeSecondHalf, "+0.00;-0.00;0.00")} MB/min, within ±{F(LevelOffMbPerMinute)} MB/min)."
            : $"Verdict: memory does NOT level off (RSS slope over the second half {F(RssSlopeSecondHalf, "+0.00;-0.00;0.00")} MB/min, beyond ±{F(LevelOffMbPerMinute)} MB/min).");
        w.WriteLine($"Samples: {Settings.CsvPath}");
    }
}
