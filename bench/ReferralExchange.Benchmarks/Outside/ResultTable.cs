using System.Globalization;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>Prints an outside run as one table: workload, req/s (median and spread), ratio to bare, p50, p99, failures, RSS.</summary>
public static class ResultTable
{
    public static void Write(OutsideReport report, TextWriter output)
    {
        var s = report.Settings;
        var m = report.Manifest;
        var bare = report.Find(WorkloadSet.Bare);
        output.WriteLine();
        output.WriteLine($"Referral Exchange outside run: {m.Referrals:N0} referrals ({m.OpenInInbox:N0} open in {m.Inbox}'s inbox), autocannon 9, " +
            $"{s.Connections} connections, keep-alive, {s.Duration.TotalSeconds:0}s x {s.Repeats} after {s.Warmup.TotalSeconds:0}s warm-up, " +
            $"{Environment.ProcessorCount} cores, load average {report.LoadBefore:0.0} -> {report.LoadAfter:0.0}, {report.Finished:yyyy-MM-dd HH:mm}Z");
        output.WriteLine($"gateway: {s.GatewayDll}");
        output.WriteLine($"{"workload",-34} {"req/s median (min-max)",26} {"ratio",7} {"p50 ms",8} {"p99 ms",8} {"failed",8} {"RSS MB",7}");
        foreach (var w in report.Workloads)
        {
            var ratio = bare is null ? double.NaN : w.MedianRps / bare.MedianRps;
            var rps = $"{w.MedianRps:0.0} ({w.MinRps:0.0}-{w.MaxRps:0.0})";
            var failed = w.Failed.ToString(CultureInfo.InvariantCulture);
            output.WriteLine($"{w.Name,-34} {rps,26} {ratio,7:0.000} {w.P50Ms,8:0.0} {w.P99Ms,8:0.0} {failed,8} {w.MaxRssBytes / 1e6,7:0}");
        }
        foreach (var w in report.Workloads.Where(w => w.Failed > 0))
        {
            output.WriteLine($"  {w.Name}: {w.Requests} answered, {w.NonSuccess} non-2xx, {w.Timeouts} timeouts (> {s.RequestTimeout.TotalSeconds:0}s), {w.Failed - w.NonSuccess - w.Timeouts} socket errors");
        }
        var startUps = report.StartUpSeconds;
        output.WriteLine($"{"gateway start-up (s)",-34} {Format(WorkloadSummary.Median(startUps)) + $" ({Format(startUps.Min())}-{Format(startUps.Max())})",26}");
        output.WriteLine($"{"audit re-check done (s after start)",-34} {Format(report.RecheckSeconds),26}");
        output.WriteLine($"{"inbox page alone (1 connection)",-34} " +
            string.Join(", ", report.InboxAlone.Select(r => r.Error is null ? $"{r.Status} in {r.Milliseconds:0} ms" : $"{r.Error} after {r.Milliseconds:0} ms")));
        output.WriteLine($"peak RSS (VmHWM): gateway {report.GatewayPeakRssBytes / 1e6:0} MB, bare {report.BarePeakRssBytes / 1e6:0} MB; " +
            "ratio = median req/s / bare's median req/s; p50/p99 = medians over the repeats; failed = non-2xx, errors and timeouts.");
    }

    private static string Format(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
