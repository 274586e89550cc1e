using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Issue 12 point 7 on one real SQLite file: a trail of N records written as a pre-tree database
/// holds it, the start-up backfill of its tree (on fresh copies), a checkpoint at N, inclusion and
/// consistency proofs at size N, full verification at N (alone and against a directory witness),
/// appends with 1/8/32 writers with the tree and chain-only, then incremental verification of the
/// appended records after the checkpoint (from the stored checkpoint, and from the witness verifier's own state).
/// </summary>
public static class AuditThroughputRun
{
    public static async Task<AuditThroughputReport> ExecuteAsync(AuditThroughputSettings s, CancellationToken ct)
    {
        var loadBefore = LoadAverage();
        var root = Path.Combine(s.WorkRoot, "rx-audit-throughput-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        var raw = Path.Combine(root, "chain-only.db");
        var tree = Path.Combine(root, "tree.db");
        using var signer = LocalKeySigner.LoadOrCreate(Path.Combine(root, "audit-signing.key"));
        var rows = new List<Measurement>();
        Measurement Row(string name, string unit) { var m = new Measurement(name, unit); rows.Add(m); return m; }

        Console.WriteLine($"Writing {s.Records:N0} chained records without tree nodes (a trail from before ADR 0011)...");
        await using (var db = Context(raw))
        {
            await DatabaseSetup.MigrateAsync(db, ct);
            var write = Stopwatch.StartNew();
            await RawAuditTrail.WriteAsync(db, 1, s.Records, AuditChain.Genesis, ct);
            Row("raw insert, one transaction (setup)", "records/s").Add(s.Records / write.Elapsed.TotalSeconds);
        }
        SqliteConnection.ClearAllPools();

        var backfill = Row($"start-up backfill of {s.Records:N0} records", "s");
        var backfillRate = Row("  backfill rate", "records/s");
        for (var r = 0; r < s.BackfillRepeats; r++)
        {
            Copy(raw, tree);
            await using var db = Context(tree);
            var watch = Stopwatch.StartNew();
            var added = await AuditTreeBackfill.RunAsync(db, ct);
            watch.Stop();
            backfill.Add(watch.Elapsed.TotalSeconds);
            backfillRate.Add(added / watch.Elapsed.TotalSeconds);
            backfill.Note = $"{await db.AuditTreeNodes.LongCountAsync(ct):N0} node rows; file {new FileInfo(raw).Length / 1e6:N0} -> {new FileInfo(tree).Length / 1e6:N0} MB";
            Console.WriteLine($"  backfill {r + 1}/{s.BackfillRepeats}: {watch.Elapsed.TotalSeconds:0.0} s");
            SqliteConnection.ClearAllPools();
        }

        byte[] signedRoot;
        await using (var db = Context(tree))
        {
            var watch = Stopwatch.StartNew();
            await new AuditCheckpointer(db, WriteGate.SingleWriter(), signer, new CheckpointOrigin(() => "bench.example/audit"), TimeProvider.System).CheckpointAsync(ct);
            Row($"checkpoint at {s.Records:N0} (root from stored nodes + ES256)", "ms").Add(watch.Elapsed.TotalMilliseconds);
            signedRoot = await MerkleProofs.RootAsync(s.Records, new AuditTreeStore(db), ct);
        }

        Console.WriteLine($"Proofs at tree size {s.Records:N0}, {s.Proofs:N0} of each kind per repeat...");
        var inclusion = Row($"inclusion proof (AuditProofService) at {s.Records:N0}", "proofs/s");
        var consistency = Row($"consistency proof (AuditProofService) to {s.Records:N0}", "proofs/s");
        int inclusionFailed = 0, consistencyFailed = 0;
        for (var r = 0; r < s.Repeats; r++)
        {
            var i = await ProofThroughput.InclusionAsync(tree, s.Records, signedRoot, s.Proofs, 17 + r, ct);
            inclusion.Add(i.PerSecond, i.P50Ms, i.P99Ms);
            inclusionFailed += i.Failed;
            var c = await ProofThroughput.ConsistencyAsync(tree, s.Records, signedRoot, s.Proofs, 71 + r, ct);
            consistency.Add(c.PerSecond, c.P50Ms, c.P99Ms);
            consistencyFailed += c.Failed;
        }
        inclusion.Note = $"{inclusionFailed} of {s.Proofs * s.Repeats:N0} failed RFC 9162 verification";
        consistency.Note = $"{consistencyFailed} of {s.Proofs * s.Repeats:N0} failed RFC 9162 verification";

        Console.WriteLine($"Full verification at {s.Records:N0}...");
        var full = Row($"verify full (chain + tree roots), {s.Records:N0}", "records/s");
        for (var r = 0; r < s.Repeats; r++)
        {
            var (rate, report) = await VerifyAsync(tree, signer, incremental: false, ct);
            full.Add(rate);
            full.Note = $"{report.RecordsChecked:N0} records, intact={report.IsIntact}";
        }
        var baselineFull = Row("verify full, chain alone (pre-tree build, same run)", "records/s");
        var baselineIncremental = Row("verify incremental, chain alone (pre-tree build)", "records/s");
        if (s.BaselineBench is null)
        {
            baselineFull.Note = baselineIncremental.Note = "not run: pass --baseline-bench (a bench built from 0ceae39^)";
        }
        else
        {
            Console.WriteLine("Chain-only verification with the pre-tree build...");
            if (await ChainOnlyBaseline.RunAsync(s.BaselineBench, s.Records, ct) is { } baseline)
            {
                baselineFull.Add(baseline.Full);
                baselineIncremental.Add(baseline.Incremental);
                baselineFull.Note = $"its own {s.Records * 21L / 20:N0}-record file, one run";
                baselineIncremental.Note = $"{s.Records / 20:N0} records after its checkpoint, one run";
            }
        }

        Console.WriteLine($"Full verification against a directory witness at {s.Records:N0}...");
        var witness = new WitnessVerification(root, signer);
        var withWitness = Row($"verify full against witness copies, {s.Records:N0}", "records/s");
        await using (var db = Context(tree))
        {
            var filed = await witness.FileCheckpointsAsync(db, ct);
            for (var r = 0; r < s.Repeats; r++)
            {
                var (rate, report) = await witness.VerifyAsync(db, incremental: false, ct);
                withWitness.Add(rate);
                withWitness.Note = $"{report.RecordsChecked:N0} records, {filed} witnessed checkpoint(s), intact={report.IsIntact}";
            }
        }

        Console.WriteLine($"Appends, {string.Join("/", s.Writers)} writers, {s.AppendDuration.TotalSeconds:0} s each after {s.AppendWarmup.TotalSeconds:0} s...");
        var withTree = s.Writers.ToDictionary(w => w, w => Row($"appends, {w} writer{(w == 1 ? "" : "s")}, records + tree", "appends/s"));
        var chainOnly = s.Writers.ToDictionary(w => w, w => Row($"appends, {w} writer{(w == 1 ? "" : "s")}, chain only (pre-tree appender)", "appends/s"));
        long appended = 0, treeRows = 0;
        for (var r = 0; r < s.Repeats; r++)
        {
            foreach (var w in s.Writers)
            {
                var t = await AppendThroughput.RunAsync(tree, withTree: true, w, s.AppendWarmup, s.AppendDuration, ct);
                withTree[w].Add(t.PerSecond, t.P50Ms, t.P99Ms);
                appended += t.Records;
                treeRows += t.TreeRows;
                var c = await AppendThroughput.RunAsync(raw, withTree: false, w, s.AppendWarmup, s.AppendDuration, ct);
                chainOnly[w].Add(c.PerSecond, c.P50Ms, c.P99Ms);
                Console.WriteLine($"  {r + 1}/{s.Repeats} {w,2} writers: tree {t.PerSecond:0} /s (p50 {t.P50Ms:0.0} ms), chain only {c.PerSecond:0} /s (p50 {c.P50Ms:0.0} ms)");
            }
        }
        Row("tree node rows per appended record", "rows").Add(appended == 0 ? double.NaN : (double)treeRows / appended);

        Console.WriteLine("Incremental verification from the checkpoint...");
        var incremental = Row("verify incremental (from checkpoint)", "records/s");
        for (var r = 0; r < s.Repeats; r++)
        {
            var (rate, report) = await VerifyAsync(tree, signer, incremental: true, ct);
            incremental.Add(rate);
            incremental.Note = $"{report.RecordsChecked:N0} appended records after it, intact={report.IsIntact}";
        }
        var incrementalWitness = Row("verify incremental against witness copies (from its own state)", "records/s");
        for (var r = 0; r < s.Repeats; r++)
        {
            await using var db = Context(tree);
            var (rate, report) = await witness.VerifyAsync(db, incremental: true, ct);
            incrementalWitness.Add(rate);
            incrementalWitness.Note = $"{report.RecordsChecked:N0} records after the state's checkpoint, intact={report.IsIntact}";
        }

        SqliteConnection.ClearAllPools();
        if (!s.Keep)
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
        return new AuditThroughputReport(s, rows, loadBefore, LoadAverage(), DateTimeOffset.UtcNow);
    }

    private static async Task<(double PerSecond, AuditVerificationReport Report)> VerifyAsync(string path, LocalKeySigner signer, bool incremental, CancellationToken ct)
    {
        await using var db = Context(path);
        var watch = Stopwatch.StartNew();
        var report = await new AuditVerificationService(new AuditLogReader(db), signer).VerifyAsync(incremental, ct);
        return (report.RecordsChecked / watch.Elapsed.TotalSeconds, report);
    }

    private static GatewayDbContext Context(string path)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(path);
        return new GatewayDbContext(options.Options);
    }

    /// <summary>A closed SQLite file (pools cleared, so the WAL is checkpointed) copied over any earlier copy.</summary>
    private static void Copy(string from, string to)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(to + suffix);
            if (File.Exists(from + suffix)) File.Copy(from + suffix, to + suffix);
        }
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
