namespace ReferralExchange.Benchmarks;

/// <summary>Throughput and latency percentiles of one measured scenario.</summary>
public sealed record LatencyStats(string Scenario, int Requests, int Errors, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double Throughput => Requests / Elapsed.TotalSeconds;

    public static LatencyStats From(string scenario, List<double> latenciesMs, int errors, TimeSpan elapsed)
    {
        latenciesMs.Sort();
        return new LatencyStats(scenario, latenciesMs.Count, errors, elapsed, Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
