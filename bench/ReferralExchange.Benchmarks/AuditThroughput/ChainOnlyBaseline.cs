using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Verification of the chain alone, as it ran before the Merkle tree: the audit-verify mode of a
/// bench built from commit 0ceae39^ (its own 1M-record file, its own verifier), run as a child
/// process inside this run so that both figures meet the same machine load.
/// </summary>
public static partial class ChainOnlyBaseline
{
    public static async Task<(double Full, double Incremental)?> RunAsync(string benchDll, int records, CancellationToken ct)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { benchDll, "audit-verify", "--records", records.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        double? full = null, incremental = null;
        foreach (Match m in Line().Matches(output))
        {
            var perSecond = long.Parse(m.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) / double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            if (m.Groups[1].Value == "full") full = perSecond; else incremental = perSecond;
        }
        if (full is null || incremental is null)
        {
            Console.WriteLine($"  baseline gave no figures (exit {process.ExitCode}):{Environment.NewLine}{output}");
            return null;
        }
        return (full.Value, incremental.Value);
    }

    // "  full                                1,050,000 records in   5.50 s =     11,454,545 records/min  intact=True"
    [GeneratedRegex(@"^\s+(full|incremental)[^\n]*?\s([\d,]+) records in\s+([\d.]+) s", RegexOptions.Multiline)]
    private static partial Regex Line();
}
