using System.Globalization;
using ReferralExchange.Benchmarks.Outside;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>
/// Prints a <c>replicas</c> run: per topology and workload the median req/s (spread), the ratio to
/// that topology's bare endpoint, p50/p99 and failures; then, per workload, each topology against
/// the one-replica run on the same provider (raw, and with each side divided by its own bare run,
/// which takes out part of the shared machine's drift).
/// </summary>
public static class ReplicasTable
{
    public static void Write(IReadOnlyList<TopologyResult> results, ReplicasSettings s, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Referral Exchange replicas run: {s.Referrals:N0} open referrals seeded through the API, autocannon 9, {s.Connections} connections, keep-alive, " +
            $"{s.Duration.TotalSeconds:0}s x {s.Repeats} after {s.Warmup.TotalSeconds:0}s warm-up, {Environment.ProcessorCount} cores, {results[^1].Finished:yyyy-MM-dd HH:mm}Z");
        output.WriteLine($"gateway: {s.GatewayDll}");
        output.WriteLine($"{"topology",-34} {"workload",-26} {"req/s median (min-max)",26} {"/bare",7} {"p50 ms",8} {"p99 ms",8} {"failed",7} {"load",11}");
        foreach (var r in results)
        {
            var bare = r.Find(WorkloadSet.Bare);
            foreach (var w in r.Workloads)
            {
                var rps = $"{w.MedianRps:0.0} ({w.MinRps:0.0}-{w.MaxRps:0.0})";
                var load = $"{r.LoadBefore:0.0}->{r.LoadAfter:0.0}";
                output.WriteLine($"{r.Topology.ToString(),-34} {w.Name,-26} {rps,26} {w.MedianRps / bare!.MedianRps,7:0.000} {w.P50Ms,8:0.0} {w.P99Ms,8:0.0} " +
                    $"{w.Failed.ToString(CultureInfo.InvariantCulture),7} {load,11}");
            }
        }
        output.WriteLine();
        output.WriteLine($"{"against one replica",-34} {"workload",-26} {"req/s ratio",12} {"(bare-normalised)",18} {"p99 ratio",10}");
        foreach (var r in results.Where(r => r.Topology.Replicas > 1))
        {
            var one = results.FirstOrDefault(o => o.Topology.Provider == r.Topology.Provider && o.Topology.Replicas == 1);
            if (one is null) continue;
            foreach (var w in r.Workloads.Where(w => w.Name != WorkloadSet.Bare))
            {
                var single = one.Workloads.First(o => o.Name == w.Name);
                var normalised = (w.MedianRps / r.Find(WorkloadSet.Bare)!.MedianRps) / (single.MedianRps / one.Find(WorkloadSet.Bare)!.MedianRps);
                output.WriteLine($"{r.Topology.ToString(),-34} {w.Name,-26} {w.MedianRps / single.MedianRps,11:0.00}x {normalised,17:0.00}x {w.P99Ms / single.P99Ms,9:0.00}x");
            }
        }
        output.WriteLine("/bare = median req/s / that topology's bare mTLS endpoint's; p50/p99 = medians over the repeats; failed = non-2xx, errors and timeouts; " +
            "load = 1-minute load average before -> after.");
    }
}
