using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// Where a process's resident memory lives, by kind of mapping, from <c>/proc/&lt;pid&gt;/smaps</c>
/// (proc(5)): the resident set summed per mapping kind, so a growing RSS can be pinned to the
/// mapping that grows. Anonymous memory holds the GC's heap, glibc's per-thread arenas and what
/// native code (SQLite's page caches, OpenSSL) allocates; <c>[heap]</c> is glibc's main arena;
/// <c>memfd:doublemapper</c> is the runtime's W^X code heap; files are code and the database.
/// </summary>
public static partial class MemoryMaps
{
    public static readonly IReadOnlyList<string> Kinds = ["anonymous", "[heap]", "code heap (memfd:doublemapper)", "native libraries (.so)",
        "managed assemblies (.dll)", "database files", "[stack]", "other"];

    public static IReadOnlyDictionary<string, double> ReadRssMbByKind(int pid)
    {
        var kilobytes = Kinds.ToDictionary(k => k, _ => 0L);
        var kind = "other";
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            if (IsMappingHeader(line))
            {
                kind = KindOf(line);
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                kilobytes[kind] += long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        return kilobytes.ToDictionary(k => k.Key, k => k.Value / 1024.0);
    }

    /// <summary>A mapping header is "start-end perms offset dev inode [path]"; the field lines below it are "Name: value kB".</summary>
    private static bool IsMappingHeader(string line) => MappingHeader().IsMatch(line);

    [GeneratedRegex("^[0-9a-f]+-[0-9a-f]+ ")]
    private static partial Regex MappingHeader();

    private static string KindOf(string header)
    {
        var fields = header.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        var path = fields.Length == 6 ? fields[5].Trim() : "";
        if (path.Length == 0) return "anonymous";
        if (path == "[heap]") return "[heap]";
        if (path.StartsWith("[stack", StringComparison.Ordinal)) return "[stack]";
        if (path.StartsWith("/memfd:doublemapper", StringComparison.Ordinal)) return "code heap (memfd:doublemapper)";
        if (path.Contains(".so", StringComparison.Ordinal)) return "native libraries (.so)";
        if (path.EndsWith(".dll", StringComparison.Ordinal)) return "managed assemblies (.dll)";
        if (path.EndsWith(".db", StringComparison.Ordinal) || path.EndsWith("-shm", StringComparison.Ordinal) || path.EndsWith("-wal", StringComparison.Ordinal)) return "database files";
        return "other";
    }
}

/// <summary>One reading of <see cref="MemoryMaps"/>, <paramref name="ElapsedSeconds"/> into the soak.</summary>
public sealed record MapSample(double ElapsedSeconds, IReadOnlyDictionary<string, double> RssMbByKind)
{
    public static string CsvHeader => "elapsed_s," + string.Join(',', MemoryMaps.Kinds.Select(k => $"\"{k}\""));

    public string ToCsv() => ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "," +
        string.Join(',', MemoryMaps.Kinds.Select(k => RssMbByKind[k].ToString("0.0", CultureInfo.InvariantCulture)));
}
