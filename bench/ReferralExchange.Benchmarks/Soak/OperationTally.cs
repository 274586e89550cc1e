using System.Collections.Concurrent;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>Counts and latencies per operation, shared by the soak's workers.</summary>
public sealed class OperationTally
{
    private readonly ConcurrentDictionary<SoakOperation, Entry> _entries = new();
    private long _requests;
    private long _failures;

    public long Requests => Interlocked.Read(ref _requests);
    public long Failures => Interlocked.Read(ref _failures);

    /// <param name="status">The HTTP status, or 0 when there was no answer (connection error, timeout).</param>
    public void Record(SoakOperation operation, int status, double milliseconds)
    {
        Interlocked.Increment(ref _requests);
        var failed = status is < 200 or >= 300;
        if (failed) Interlocked.Increment(ref _failures);
        var entry = _entries.GetOrAdd(operation, _ => new Entry());
        lock (entry)
        {
            entry.Latencies.Add(milliseconds);
            if (failed) entry.FailedByStatus[status] = entry.FailedByStatus.GetValueOrDefault(status) + 1;
        }
    }

    public IReadOnlyList<OperationSummary> Summaries() =>
        _entries.OrderBy(e => e.Key).Select(e =>
        {
            lock (e.Value)
            {
                var sorted = e.Value.Latencies.Order().ToList();
                double At(double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
                return new OperationSummary(e.Key.ToString(), sorted.Count, e.Value.FailedByStatus.Values.Sum(),
                    string.Join(' ', e.Value.FailedByStatus.OrderBy(f => f.Key).Select(f => $"{(f.Key == 0 ? "no-answer" : f.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))}×{f.Value}")),
                    At(0.5), At(0.99));
            }
        }).ToList();

    private sealed class Entry
    {
        public List<double> Latencies { get; } = new(50_000);
        public Dictionary<int, long> FailedByStatus { get; } = [];
    }
}

/// <summary>One operation's figures over the whole soak.</summary>
public sealed record OperationSummary(string Operation, long Count, long Failed, string FailedByStatus, double P50Ms, double P99Ms);
