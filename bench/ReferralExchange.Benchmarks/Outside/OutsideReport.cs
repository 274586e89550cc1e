using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>One autocannon run and the target's largest RSS during it.</summary>
public sealed record Measurement(AutocannonResult Result, long MaxRssBytes);

/// <summary>A workload over its repeats: median and spread of req/s, median p50/p99, failures, largest RSS.</summary>
public sealed record WorkloadSummary(string Name, double MedianRps, double MinRps, double MaxRps, double P50Ms, double P99Ms, long Failed, long Requests, long MaxRssBytes,
    long NonSuccess, long Timeouts)
{
    public static WorkloadSummary From(string name, IReadOnlyList<Measurement> runs) => new(
        name,
        Median(runs.Select(r => r.Result.RequestsPerSecond)),
        runs.Min(r => r.Result.RequestsPerSecond),
        runs.Max(r => r.Result.RequestsPerSecond),
        Median(runs.Select(r => r.Result.P50Ms)),
        Median(runs.Select(r => r.Result.P99Ms)),
        runs.Sum(r => r.Result.Failed),
        runs.Sum(r => r.Result.Total),
        runs.Max(r => r.MaxRssBytes),
        runs.Sum(r => r.Result.NonSuccess),
        runs.Sum(r => r.Result.Timeouts));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <summary>Everything one outside run measured.</summary>
public sealed record OutsideReport(
    SeedManifest Manifest,
    OutsideSettings Settings,
    IReadOnlyList<WorkloadSummary> Workloads,
    IReadOnlyList<double> StartUpSeconds,
    double RecheckSeconds,
    IReadOnlyList<SingleRequest> InboxAlone,
    long GatewayPeakRssBytes,
    long BarePeakRssBytes,
    double LoadBefore,
    double LoadAfter,
    DateTimeOffset Finished)
{
    public WorkloadSummary? Find(string prefix) => Workloads.FirstOrDefault(w => w.Name.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>One inbox page requested alone (one connection, long timeout): how long a page takes without queueing.</summary>
public sealed record SingleRequest(int Status, double Milliseconds, string? Error);
