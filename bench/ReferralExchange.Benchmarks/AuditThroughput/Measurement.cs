namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// One line of the throughput table: a figure measured once per repeat (median and min-max are
/// printed), optionally with per-operation latency percentiles (medians over the repeats), or a
/// line that is not measured yet and says why.
/// </summary>
public sealed class Measurement(string name, string unit)
{
    private readonly List<double> _values = [];
    private readonly List<double> _p50 = [];
    private readonly List<double> _p99 = [];

    public string Name { get; } = name;
    public string Unit { get; } = unit;
    public string? Note { get; set; }
    public string? NotYet { get; init; }
    public IReadOnlyList<double> Values => _values;

    public void Add(double value, double? p50Ms = null, double? p99Ms = null)
    {
        _values.Add(value);
        if (p50Ms is { } p50) _p50.Add(p50);
        if (p99Ms is { } p99) _p99.Add(p99);
    }

    public double Median => MedianOf(_values);
    public double? P50Ms => _p50.Count == 0 ? null : MedianOf(_p50);
    public double? P99Ms => _p99.Count == 0 ? null : MedianOf(_p99);

    public static double MedianOf(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The p-th percentile (0..1) of a sorted list, nearest rank.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
