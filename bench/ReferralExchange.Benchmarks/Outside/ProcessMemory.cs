using System.Globalization;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// Resident memory of a process from <c>/proc/&lt;pid&gt;/status</c>: VmRSS now and VmHWM (the peak).
/// A sampler reads VmRSS every 200 ms while a workload runs and keeps the largest value.
/// </summary>
public static class ProcessMemory
{
    public static (long RssBytes, long PeakBytes) Read(int pid)
    {
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) * 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line) * 1024;
            }
        }
        catch (IOException)
        {
            // The process has gone.
        }
        return (rss, peak);
    }

    /// <summary>Samples until <paramref name="ct"/> is cancelled; returns the largest VmRSS seen.</summary>
    public static async Task<long> MaxRssWhileAsync(int pid, CancellationToken ct)
    {
        long max = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            do
            {
                max = Math.Max(max, Read(pid).RssBytes);
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
            // The workload ended.
        }
        return Math.Max(max, Read(pid).RssBytes);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
