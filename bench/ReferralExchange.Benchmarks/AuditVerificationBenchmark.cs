using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
        var head = await WriteRecordsAsync(db, 1, records, AuditChain.Genesis, ct);
        write.Stop();
        Console.WriteLine($"  written in {write.Elapsed.TotalSeconds:0.0} s ({records / write.Elapsed.TotalSeconds:N0} records/s, single transaction)");

        // A checkpoint at the million, then a day's worth more: the incremental run checks only those.
        await new AuditCheckpointer(db, WriteGate.SingleWriter(), signer, new ReferralExchange.Core.Audit.Checkpoints.CheckpointOrigin(() => "bench.example/audit"), TimeProvider.System).CheckpointAsync(ct);
        var more = Math.Max(1, records / 20);
        await WriteRecordsAsync(db, records + 1, more, head, ct);
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

    private static async Task<string> WriteRecordsAsync(GatewayDbContext db, long first, int count, string previous, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash")
            VALUES ($s, $t, $a, 0, $p, $pt, $pl, $prev, $h)
            """;
        var parameters = new[] { "$s", "$t", "$a", "$p", "$pt", "$pl", "$prev", "$h" }.Select(n => command.Parameters.Add(n, SqliteType.Text)).ToArray();
        command.Prepare();
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        for (var sequence = first; sequence < first + count; sequence++)
        {
            var record = new AuditRecord
            {
                Action = sequence % 3 == 0 ? AuditActions.Search : AuditActions.Read,
                Outcome = AuditOutcome.Success,
                Recorded = start.AddMilliseconds(sequence * 10),
                PartnerId = "bh-riverside",
                CertificateThumbprint = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
                PatientId = $"01a2{sequence:x12}-0000-7000-8000-000000000000"[..36],
                Resources = [new AuditedResource($"Task/01a2{sequence:x8}-93e3-71f6-ae12-c63518067706/_history/1", ["R", "MH"])],
                PurposeOfUse = "TREAT",
                SourceAddress = "10.20.30.40",
                RequestId = $"0HNQ96SQO6JAM:{sequence:x8}",
            };
            var payload = AuditCanonicalForm.Write(sequence, previous, record);
            var hash = AuditChain.Hash(payload);
            parameters[0].Value = sequence;
            parameters[1].Value = record.Recorded.UtcTicks;
            parameters[2].Value = record.Action;
            parameters[3].Value = record.PartnerId;
            parameters[4].Value = record.PatientId;
            parameters[5].SqliteType = SqliteType.Blob;
            parameters[5].Value = payload;
            parameters[6].Value = previous;
            parameters[7].Value = hash;
            await command.ExecuteNonQueryAsync(ct);
            previous = hash;
        }
        await transaction.CommitAsync(ct);
        await connection.CloseAsync();
        return previous;
    }
}
