using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Audit appends per second through the gateway's group commit (ADR 0010) and its write gate, with
/// N writers each awaiting one record at a time, as N concurrent reads do: the real appender
/// (<see cref="EfAuditTrail"/>, records and tree nodes in one transaction) or the chain-only one
/// from before the tree (<see cref="ChainOnlyAppender"/>).
/// </summary>
public static class AppendThroughput
{
    public sealed record Result(double PerSecond, double P50Ms, double P99Ms, long Records, long TreeRows);

    public static async Task<Result> RunAsync(string databasePath, bool withTree, int writers, TimeSpan warmup, TimeSpan duration, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(databasePath);
        var built = options.Options;
        var (recordsBefore, nodesBefore) = await CountAsync(built, ct);

        var commit = new GroupCommit(() => new GatewayDbContext(built), WriteGate.SingleWriter(), NullLogger<GroupCommit>.Instance);
        var trail = new EfAuditTrail(commit);
        Func<AuditRecord, Task> append = withTree
            ? record => trail.RecordAsync(record, ct)
            : record => commit.RunAsync((db, token) => ChainOnlyAppender.AppendAsync(db, [record], token), ct);

        var measuring = false;
        var stop = false;
        var latencies = Enumerable.Range(0, writers).Select(_ => new List<double>(1 << 14)).ToArray();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            long n = w * 1_000_000_000L;
            while (!Volatile.Read(ref stop))
            {
                var started = Stopwatch.GetTimestamp();
                await append(RawAuditTrail.Sample(++n));
                if (Volatile.Read(ref measuring))
                {
                    latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }, ct)).ToArray();

        await Task.Delay(warmup, ct);
        var clock = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(duration, ct);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(tasks);
        await commit.DisposeAsync();

        var (recordsAfter, nodesAfter) = await CountAsync(built, ct);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Result(all.Count / elapsed.TotalSeconds, Measurement.Percentile(all, 0.50), Measurement.Percentile(all, 0.99),
            recordsAfter - recordsBefore, nodesAfter - nodesBefore);
    }

    private static async Task<(long Records, long Nodes)> CountAsync(DbContextOptions<GatewayDbContext> options, CancellationToken ct)
    {
        await using var db = new GatewayDbContext(options);
        return (await db.AuditRecords.LongCountAsync(ct), await db.AuditTreeNodes.LongCountAsync(ct));
    }
}
