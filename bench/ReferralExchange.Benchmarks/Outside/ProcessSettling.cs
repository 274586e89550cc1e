using System.Diagnostics;
using System.Globalization;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// Waits until a server has finished the requests a workload left in flight (autocannon stops
/// sending at -d, the server may still be working through a backlog), so that the backlog is not
/// charged to the next workload: idle means under a tenth of a core over half a second.
/// </summary>
public static class ProcessSettling
{
    public static async Task<TimeSpan> WaitIdleAsync(int pid, TimeSpan limit, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var last = CpuSeconds(pid);
        while (watch.Elapsed < limit)
        {
            await Task.Delay(500, ct);
            var now = CpuSeconds(pid);
            if (now is null || last is null || now - last < 0.05) break;
            last = now;
        }
        return watch.Elapsed;
    }

    /// <summary>utime + stime from /proc/&lt;pid&gt;/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
