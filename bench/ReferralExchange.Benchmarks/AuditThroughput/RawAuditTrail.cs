using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Writes a chained audit trail of realistic records straight into the AuditRecords table, as a
/// database from before the Merkle tree (ADR 0011) holds it: records only, no tree node rows. One
/// transaction, one prepared statement; the payload and hashes are the gateway's own.
/// </summary>
public static class RawAuditTrail
{
    public static async Task<string> WriteAsync(GatewayDbContext db, long first, int count, string previous, CancellationToken ct)
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
        for (var sequence = first; sequence < first + count; sequence++)
        {
            var record = Sample(sequence);
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

    /// <summary>A read of a labelled Task by a behavioural-health partner: the size and shape of most records in a trail.</summary>
    public static AuditRecord Sample(long n) => new()
    {
        Action = n % 3 == 0 ? AuditActions.Search : AuditActions.Read,
        Outcome = AuditOutcome.Success,
        Recorded = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(n * 10),
        PartnerId = "bh-riverside",
        CertificateThumbprint = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
        PatientId = $"01a2{n:x12}-0000-7000-8000-000000000000"[..36],
        Resources = [new AuditedResource($"Task/01a2{n:x8}-93e3-71f6-ae12-c63518067706/_history/1", ["R", "MH"])],
        PurposeOfUse = "TREAT",
        SourceAddress = "10.20.30.40",
        RequestId = $"0HNQ96SQO6JAM:{n:x8}",
    };
}
