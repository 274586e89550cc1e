using System.Globalization;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// One sample of the gateway process: what the kernel says (<c>/proc/&lt;pid&gt;/status</c> VmRSS and
/// Threads, the entries of <c>/proc/&lt;pid&gt;/fd</c>), what the runtime says (GC heap, read over
/// EventPipe, absent when that session could not be opened), and how much traffic went by so far.
/// </summary>
public sealed record ProcessSample(
    double ElapsedSeconds,
    double RssMb,
    int Handles,
    int Threads,
    double? GcHeapMb,
    double? GcCommittedMb,
    long Requests,
    long Failures,
    double LoadAverage)
{
    public const string CsvHeader = "elapsed_s,rss_mb,handles,threads,gc_heap_mb,gc_committed_mb,requests,failures,load_1m";

    public string ToCsv() => string.Join(',',
        F(ElapsedSeconds, "0.0"), F(RssMb, "0.0"), Handles.ToString(CultureInfo.InvariantCulture), Threads.ToString(CultureInfo.InvariantCulture),
        GcHeapMb is { } heap ? F(heap, "0.0") : "", GcCommittedMb is { } committed ? F(committed, "0.0") : "",
        Requests.ToString(CultureInfo.InvariantCulture), Failures.ToString(CultureInfo.InvariantCulture), F(LoadAverage, "0.00"));

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The kernel's view of <paramref name="pid"/>: resident set, thread count and open file descriptors.</summary>
    public static (double RssMb, int Threads, int Handles) ReadProc(int pid)
    {
        double rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Field(line) / 1024.0;
            else if (line.StartsWith("Threads:", StringComparison.Ordinal)) threads = (int)Field(line);
        }
        // Every socket, file, pipe, eventfd and epoll instance is one entry here.
        var handles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        return (rss, threads, handles);
    }

    public static double LoadAverageNow() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static long Field(string line) => long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
