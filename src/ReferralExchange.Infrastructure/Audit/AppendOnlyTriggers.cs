using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// The SQLite triggers that make the audit tables append-only (created by the initial migration), and
/// the one that lets a record in only at the tip of the chain (<see cref="ChainLinkName"/>).
/// Anyone with the file can <c>DROP TRIGGER</c>; the chain still catches what they then edit, but a
/// missing or changed trigger is itself evidence of tampering (issue 12). So it is reported by
/// <c>rx audit verify</c>, the gateway refuses to start on it, and it is put back only by an
/// operator's explicit <c>rx audit repair-triggers</c> after investigating: re-creating them
/// silently would hide the tampering.
/// </summary>
public static class AppendOnlyTriggers
{
    /// <summary>Tables whose rows may only be inserted (also spelled out in the sqlite_master query below).</summary>
    public static readonly IReadOnlyList<string> Tables = ["AuditRecords", "AuditCheckpoints", "AuditTreeNodes"];

    /// <summary>
    /// The insert guard (ADR 0031): a record is stored only if it names, as its predecessor, the hash of
    /// the record one sequence number before it (the genesis hash for the first). With the sequence as
    /// the primary key, that refuses a fork, a gap and a record linked anywhere but the tip, which is
    /// more than the unique index on PreviousHash it replaced on SQLite; the lookup is the previous
    /// record's primary key, a page the same transaction has just written.
    /// </summary>
    public const string ChainLinkName = "AuditRecords_extends_chain";

    /// <summary>Trigger name → its definition, exactly as the migration writes it (and SQLite keeps it in sqlite_master).</summary>
    public static IReadOnlyDictionary<string, string> Expected { get; } = Tables
        .SelectMany(table => new[]
        {
            ($"{table}_no_update", $"CREATE TRIGGER \"{table}_no_update\" BEFORE UPDATE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"),
            ($"{table}_no_delete", $"CREATE TRIGGER \"{table}_no_delete\" BEFORE DELETE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"),
        })
        .Append((ChainLinkName,
            $"CREATE TRIGGER \"{ChainLinkName}\" BEFORE INSERT ON \"AuditRecords\" " +
            "WHEN NEW.\"PreviousHash\" IS NOT (CASE WHEN NEW.\"Sequence\" = 1 THEN '" + AuditChain.Genesis + "' " +
            "ELSE (SELECT \"Hash\" FROM \"AuditRecords\" WHERE \"Sequence\" = NEW.\"Sequence\" - 1) END) " +
            "BEGIN SELECT RAISE(ABORT, 'AuditRecords must extend the chain'); END"))
        .ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);

    /// <summary>What differs from the expected triggers; empty when all are in place. Not applicable (empty) to SQL Server, whose ledger tables are append-only by definition; PostgreSQL has its own triggers (ADR 0017).</summary>
    public static async Task<IReadOnlyList<string>> FindingsAsync(GatewayDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return await Persistence.PostgreSql.PostgreSqlAppendOnly.FindingsAsync(db, ct);
        }
        if (!db.Database.IsSqlite())
        {
            return [];
        }
        var actual = await TriggersAsync(db, ct);
        var findings = new List<string>();
        foreach (var (name, sql) in Expected)
        {
            if (!actual.TryGetValue(name, out var found))
                findings.Add($"append-only trigger {name} is missing (dropped outside the gateway)");
            else if (Normalise(found.Sql) != Normalise(sql))
                findings.Add($"append-only trigger {name} differs from its definition (changed outside the gateway)");
        }
        foreach (var (name, found) in actual.Where(t => !Expected.ContainsKey(t.Key)))
        {
            findings.Add($"unexpected trigger {name} on {found.Table} (added outside the gateway)");
        }
        return findings;
    }

    /// <summary>Drops changed or unexpected triggers on the audit tables and creates the expected ones, in one transaction, with an audit record saying so.</summary>
    /// <returns>What was repaired (the findings before the repair).</returns>
    public static async Task<IReadOnlyList<string>> RepairAsync(GatewayDbContext db, string operatorName, DateTimeOffset now, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            // On PostgreSQL only the tables' owner can re-create triggers (ADR 0017); the runtime role cannot.
            throw new NotSupportedException("repair-triggers repairs a SQLite file; on PostgreSQL the owner role re-creates the triggers (docs/adr/0017-postgresql.md)");
        }
        var findings = await FindingsAsync(db, ct);
        if (findings.Count == 0)
        {
            return findings;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var actual = await TriggersAsync(db, ct);
        foreach (var name in actual.Keys.Where(n => !Expected.TryGetValue(n, out var sql) || Normalise(actual[n].Sql) != Normalise(sql)))
        {
            // Names come from sqlite_master, not from a caller; quoted as identifiers.
            var drop = $"DROP TRIGGER \"{name.Replace("\"", "\"\"")}\";";
            await db.Database.ExecuteSqlRawAsync(drop, ct);
        }
        foreach (var (name, sql) in Expected.Where(e => !actual.TryGetValue(e.Key, out var found) || Normalise(found.Sql) != Normalise(e.Value)))
        {
            await db.Database.ExecuteSqlRawAsync(sql, ct);
        }
        // The repair is itself an audited interaction, so the trail shows when protection was restored and by whom.
        await AuditAppender.AppendAsync(db, [new AuditRecord
        {
            Action = AuditActions.RepairTriggers,
            Outcome = AuditOutcome.Success,
            Recorded = now,
            PartnerId = operatorName,
            RequestId = $"repair-triggers-{now.UtcTicks}",
            Detail = string.Join("; ", findings),
        }], ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return findings;
    }

    private sealed record Trigger(string Table, string Sql);

    /// <summary>Every trigger on the audit tables, by name.</summary>
    private static async Task<Dictionary<string, Trigger>> TriggersAsync(GatewayDbContext db, CancellationToken ct)
    {
        var rows = await db.Database
            .SqlQueryRaw<TriggerRow>("SELECT name AS \"Name\", tbl_name AS \"Table\", sql AS \"Sql\" FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('AuditRecords', 'AuditCheckpoints', 'AuditTreeNodes')")
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.Name, r => new Trigger(r.Table, r.Sql ?? string.Empty), StringComparer.Ordinal);
    }

    /// <summary>SQLite keeps the statement as written, without its final semicolon; compare ignoring that and runs of whitespace.</summary>
    private static string Normalise(string sql) =>
        string.Join(' ', sql.Trim().TrimEnd(';').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed class TriggerRow
    {
        public required string Name { get; init; }
        public required string Table { get; init; }
        public string? Sql { get; init; }
    }
}
