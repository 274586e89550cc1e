using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Benchmarks.AuditThroughput;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// How fast the audit trail verifies: writes N chained records of realistic size into a migrated
/// SQLite file, signs a checkpoint, then times a full and an incremental verification
/// (target: at least a million records a minute on this machine).
/// </summary>
public static class AuditVerificationBenchmark
{
    public static async Task ExecuteAsync(int records, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "rx-audit-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(Path.Combine(root, "audit.db"));
        await using var db = new GatewayDbContext(options.Options);
        await DatabaseSetup.MigrateAsync(db, ct);
        using var signer = LocalKeySigner.LoadOrCreate(Path.Combine(root, "audit-signing.key"));

        Console.WriteLine($"Writing {records:N0} chained audit records...");
        var write = Stopwatch.StartNew();
        var head = await RawAuditTrail.WriteAsync(db, 1, records, AuditChain.Genesis, ct);
        write.Stop();
        Console.WriteLine($"  written in {write.Elapsed.TotalSeconds:0.0} s ({records / write.Elapsed.TotalSeconds:N0} records/s, single transaction)");

        // Written as a trail from before the Merkle tree: the start-up backfill gives it its tree (ADR 0011).
        await AuditTreeBackfill.RunAsync(db, ct);
        // A checkpoint at the million, then a day's worth more: the incremental run checks only those.
        await new AuditCheckpointer(db, WriteGate.SingleWriter(), signer, new ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin(() => "bench.example/audit"), TimeProvider.System).CheckpointAsync(ct);
        var more = Math.Max(1, records / 20);
        await RawAuditTrail.WriteAsync(db, records + 1, more, head, ct);
        var service = new AuditVerificationService(new AuditLogReader(db), signer);

        foreach (var (name, incremental) in new[] { ("full", false), ("incremental (after checkpoint)", true) })
        {
            var watch = Stopwatch.StartNew();
            var report = await service.VerifyAsync(incremental, ct);
            watch.Stop();
            Console.WriteLine($"  {name,-32} {report.RecordsChecked,12:N0} records in {watch.Elapsed.TotalSeconds,6:0.00} s = {report.RecordsChecked / watch.Elapsed.TotalMinutes,14:N0} records/min  intact={report.IsIntact}");
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, true); } catch (IOException) { }
    }
}
