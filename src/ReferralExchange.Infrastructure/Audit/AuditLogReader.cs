using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.RawSql;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>Streams the audit rows in chain order straight from the database cursor (no change tracking, one row in memory).</summary>
public sealed class AuditLogReader(GatewayDbContext db)
{
    public async IAsyncEnumerable<AuditLogEntry> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Persistence.RawSql.AuditSql.ReadChainAfter;
            command.AddNamed("@after", afterSequence);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                yield return Entry(reader);
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>
    /// One row, read without trusting the column types: SQLite keeps whatever a hand edit stored (a
    /// payload re-typed to TEXT, a NULL), and a cast failing here would stop verification instead of
    /// naming the record (issue 12, point 4).
    /// </summary>
    private static AuditLogEntry Entry(DbDataReader reader)
    {
        List<string>? problems = null; // allocated only for a broken row: verification streams millions
        var sequence = reader.GetValue(0) is long s ? s : -1;
        if (sequence < 0) Problem(ref problems, "its sequence is not an integer");
        var payload = reader.GetValue(1) as byte[];
        if (payload is null) Problem(ref problems, $"its payload is {TypeOf(reader.GetValue(1))}, not the stored bytes");
        var previous = Text(reader, 2, "previous hash", ref problems);
        var hash = Text(reader, 3, "hash", ref problems);
        var recorded = reader.GetValue(4) is long ticks ? ticks : Wrong(ref problems, "recorded time", reader.GetValue(4), 0L);
        var partner = Text(reader, 5, "partner", ref problems);
        var patientValue = reader.GetValue(6);
        var patient = patientValue is DBNull ? null : patientValue as string ?? Wrong(ref problems, "patient", patientValue, string.Empty);
        var action = Text(reader, 7, "action", ref problems);
        // SQL Server hands back an int, SQLite a long.
        var outcome = reader.GetValue(8) switch
        {
            int o => o,
            long o and >= int.MinValue and <= int.MaxValue => (int)o,
            var other => Wrong(ref problems, "outcome", other, 0),
        };
        return new AuditLogEntry(sequence, payload ?? [], previous, hash, recorded, partner, patient, action, outcome,
            problems is null ? null : string.Join("; ", problems) + " (edited outside the gateway)");
    }

    private static string Text(DbDataReader reader, int ordinal, string name, ref List<string>? problems)
    {
        var value = reader.GetValue(ordinal);
        return value as string ?? Wrong(ref problems, name, value, string.Empty);
    }

    private static T Wrong<T>(ref List<string>? problems, string name, object value, T placeholder)
    {
        Problem(ref problems, $"its {name} column is {TypeOf(value)}");
        return placeholder;
    }

    private static void Problem(ref List<string>? problems, string problem) => (problems ??= []).Add(problem);

    private static string TypeOf(object value) => value switch
    {
        DBNull => "NULL",
        string => "TEXT",
        long => "INTEGER",
        double => "REAL",
        byte[] => "BLOB",
        _ => value.GetType().Name,
    };

    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken ct) =>
        (await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(ct))
            .Select(c => new AuditCheckpoint(c.Sequence, c.HeadHash, new DateTimeOffset(c.SignedAtTicks, TimeSpan.Zero), c.KeyId, c.Signature, c.Note))
            .ToList();

    /// <summary>The stored tree of the first <paramref name="size"/> records, to resume root computation mid-log.</summary>
    public Task<ReferralExchange.Core.Audit.Merkle.CompactRange> TreeAsync(long size, CancellationToken ct) => new AuditTreeStore(db).ResumeAsync(size, ct);
}
