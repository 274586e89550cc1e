using System.Diagnostics;
using System.Text;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// The per-read cost of resource coverage (ADR 0012): one SHA-256 over a stored version's JSON,
/// already in memory, compared with the hash stored beside it. Timed for stored resources of
/// several sizes, beside the label inspection every read already does, for scale.
/// </summary>
public static class ResourceHashBenchmark
{
    public static void Execute(int iterations)
    {
        var sample = Sample();
        Console.WriteLine($"{"stored JSON",-24} {"bytes",8} {"hash check",12} {"label inspection",18}");
        foreach (var (name, json) in new[]
        {
            ("ServiceRequest sample", sample),
            ("~4 KiB", Grow(sample, 4 * 1024)),
            ("~16 KiB", Grow(sample, 16 * 1024)),
            ("~64 KiB", Grow(sample, 64 * 1024)),
        })
        {
            var expected = ResourceContentHash.Of(json);
            var check = Time(iterations, () => ResourceContentHash.Matches(json, expected));
            var inspect = Time(Math.Max(1_000, iterations / 10), () => DisclosureShaper.Inspect(json).ResourceLabels.Count > 0);
            Console.WriteLine($"{name,-24} {Encoding.UTF8.GetByteCount(json),8} {check,9:0.00} µs {inspect,15:0.00} µs");
        }
    }

    /// <returns>Microseconds per call.</returns>
    private static double Time(int iterations, Func<bool> action)
    {
        var sink = 0;
        for (var i = 0; i < Math.Min(10_000, iterations); i++) sink += action() ? 1 : 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) sink += action() ? 1 : 0;
        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalNanoseconds / iterations / 1000.0;
    }

    /// <summary>The sample with a longer note: same shape, more bytes (hashing cost depends on length only).</summary>
    private static string Grow(string json, int bytes)
    {
        var padding = new string('x', Math.Max(0, bytes - Encoding.UTF8.GetByteCount(json)));
        return json.Replace("\"text\":\"Narrative\"", $"\"text\":\"Narrative {padding}\"", StringComparison.Ordinal);
    }

    private static string Sample() => ConsentDecisionBenchmark.SampleServiceRequestJson;
}
