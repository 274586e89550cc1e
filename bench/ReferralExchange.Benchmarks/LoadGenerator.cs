using System.Diagnostics;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// Closed-loop load: each of N workers owns one HTTP client (one TLS connection, one client
/// certificate) and sends its next request as soon as the last one answered. Bounded in time.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LatencyStats> RunAsync(string scenario, IReadOnlyList<HttpClient> clients,
        Func<HttpClient, int, Task<HttpResponseMessage>> send, TimeSpan warmup, TimeSpan duration, CancellationToken ct)
    {
        await DriveAsync(clients, send, warmup, record: null, ct);
        var latencies = new List<double>[clients.Count];
        var errors = new int[clients.Count];
        var watch = Stopwatch.StartNew();
        await DriveAsync(clients, send, duration, (worker, ms, ok) =>
        {
            (latencies[worker] ??= new List<double>(100_000)).Add(ms);
            if (!ok) errors[worker]++;
        }, ct);
        watch.Stop();
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
        return LatencyStats.From(scenario, all, errors.Sum(), watch.Elapsed);
    }

    private static Task DriveAsync(IReadOnlyList<HttpClient> clients, Func<HttpClient, int, Task<HttpResponseMessage>> send,
        TimeSpan length, Action<int, double, bool>? record, CancellationToken ct)
    {
        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(clients.Select((client, worker) => Task.Run(async () =>
        {
            var sequence = 0;
            while (Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try
                {
                    using var response = await send(client, worker * 1_000_000 + sequence++);
                    await response.Content.LoadIntoBufferAsync(ct);
                    ok = response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    ok = false;
                }
                record?.Invoke(worker, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ok);
            }
        }, ct)));
    }
}
