using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Stores;
using ReferralExchange.Infrastructure.Privacy;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Inclusion and consistency proofs as the /audit endpoints make them (AuditProofService over
/// EfAuditLogTree, a fresh DbContext per proof as per request), one at a time, for random records
/// and sizes under the latest checkpoint. Every proof is checked afterwards with the RFC 9162
/// verifier against the signed root, outside the timing.
/// </summary>
public static class ProofThroughput
{
    public sealed record Result(double PerSecond, double P50Ms, double P99Ms, int Failed);

    private static readonly Caller Operator = new(new Partner("rx-operator", "Operator", PartnerKind.Operator, PartnerStatus.Active), "bench", "bench");

    public static async Task<Result> InclusionAsync(string databasePath, long treeSize, byte[] root, int count, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var results = new List<InclusionProofResult>(count);
        var (elapsed, latencies) = await TimeAsync(databasePath, count, async service =>
            results.Add(await service.InclusionAsync(Operator, (random.NextInt64(treeSize) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), ct)), ct);
        var failed = results.Count(r => r.TreeSize != treeSize || !MerkleVerifier.VerifyInclusion(r.LeafIndex, r.TreeSize, r.LeafHash, r.Proof, root)
            || r.CanonicalRecord is null || !MerkleHash.Leaf(r.CanonicalRecord).AsSpan().SequenceEqual(r.LeafHash));
        return new Result(count / elapsed.TotalSeconds, latencies[0], latencies[1], failed);
    }

    public static async Task<Result> ConsistencyAsync(string databasePath, long treeSize, byte[] root, int count, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var results = new List<ConsistencyProofResult>(count);
        var to = treeSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (elapsed, latencies) = await TimeAsync(databasePath, count, async service =>
            results.Add(await service.ConsistencyAsync((random.NextInt64(treeSize - 1) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), to, ct)), ct);
        // The old roots come from the stored tree (the verifier needs them; a partner has them from its checkpoint).
        var options = Options(databasePath);
        await using var db = new GatewayDbContext(options);
        var store = new AuditTreeStore(db);
        var failed = 0;
        foreach (var r in results)
        {
            var oldRoot = await MerkleProofs.RootAsync(r.From, store, ct);
            failed += MerkleVerifier.VerifyConsistency(r.From, r.To, oldRoot, root, r.Proof) ? 0 : 1;
        }
        return new Result(count / elapsed.TotalSeconds, latencies[0], latencies[1], failed);
    }

    private static async Task<(TimeSpan Elapsed, double[] P50P99)> TimeAsync(string databasePath, int count, Func<AuditProofService, Task> prove, CancellationToken ct)
    {
        var options = Options(databasePath);
        await using var commit = new GroupCommit(() => new GatewayDbContext(options), WriteGate.SingleWriter(), NullLogger<GroupCommit>.Instance);
        var indexer = new TaskAccessIndexer(new ConsentPolicyCache(), LabelingRules.Default);
        var latencies = new List<double>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var db = new GatewayDbContext(options);
            await prove(new AuditProofService(new EfAuditLogTree(db), new EfAuditQuery(db), new EfResourceStore(db, commit, indexer)));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var elapsed = clock.Elapsed;
        latencies.Sort();
        return (elapsed, [Measurement.Percentile(latencies, 0.50), Measurement.Percentile(latencies, 0.99)]);
    }

    private static DbContextOptions<GatewayDbContext> Options(string databasePath)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(databasePath);
        return options.Options;
    }
}
