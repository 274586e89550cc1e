using System.Globalization;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>The audit-throughput table: one line per figure, median and min-max over the repeats, latency medians where there are operations.</summary>
public sealed record AuditThroughputReport(AuditThroughputSettings Settings, IReadOnlyList<Measurement> Rows, string LoadBefore, string LoadAfter, DateTimeOffset Finished)
{
    public void Write(TextWriter output)
    {
        var s = Settings;
        output.WriteLine();
        output.WriteLine($"Referral Exchange audit trail throughput: {s.Records:N0} records, SQLite file (WAL), {s.Repeats} repeats (backfill {s.BackfillRepeats}), " +
            $"appends {s.AppendDuration.TotalSeconds:0}s after {s.AppendWarmup.TotalSeconds:0}s warm-up, {s.Proofs:N0} proofs of each kind per repeat, " +
            $"{Environment.ProcessorCount} cores, load average {LoadBefore} -> {LoadAfter}, {Finished:yyyy-MM-dd HH:mm}Z");
        output.WriteLine($"{"measure",-58} {"unit",-10} {"median",12} {"(min-max)",24} {"p50 ms",8} {"p99 ms",8}  note");
        foreach (var m in Rows)
        {
            if (m.NotYet is not null || m.Values.Count == 0)
            {
                output.WriteLine($"{m.Name,-58} {m.Unit,-10} {"-",12} {"",24} {"",8} {"",8}  {m.NotYet ?? m.Note}");
                continue;
            }
            var spread = m.Values.Count > 1 ? $"({Format(m.Values.Min())}-{Format(m.Values.Max())})" : "";
            output.WriteLine($"{m.Name,-58} {m.Unit,-10} {Format(m.Median),12} {spread,24} {Ms(m.P50Ms),8} {Ms(m.P99Ms),8}  {m.Note}");
        }
        output.WriteLine("p50/p99 = medians over the repeats of each repeat's percentile (per append: enqueue to durable commit; per proof: new DbContext to result).");
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "N0" : "0.00", CultureInfo.InvariantCulture);

    private static string Ms(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "";
}
