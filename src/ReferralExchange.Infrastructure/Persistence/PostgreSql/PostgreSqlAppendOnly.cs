using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The first of the two protections of the audit tables on PostgreSQL (ADR 0017): row triggers that
/// refuse UPDATE and DELETE and a statement trigger that refuses TRUNCATE, for every role including
/// the tables' owner. (The second is the runtime role's grants: <see cref="PostgreSqlRuntimeGrants"/>.)
/// The owner or a superuser can still drop or disable a trigger; that is evidence of tampering, found
/// by <see cref="FindingsAsync"/> (the gateway then refuses to start), and the hash chain, the Merkle
/// tree and the witnesses still catch whatever was then changed.
/// </summary>
public static class PostgreSqlAppendOnly
{
    /// <summary>The audit tables: rows may only be inserted.</summary>
    public static readonly IReadOnlyList<string> Tables = ["AuditRecords", "AuditCheckpoints", "AuditTreeNodes"];

    public const string Function = "rx_audit_append_only";

    /// <summary>The trigger function: every UPDATE, DELETE or TRUNCATE of an audit table fails with this message.</summary>
    public const string CreateFunction = $"""
        CREATE OR REPLACE FUNCTION {Function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'raise_exception';
        END;
        $$;
        """;

    /// <summary>Trigger name → its statement, as the migration runs it. A change here is a new migration too: the Initial one runs these.</summary>
    public static IReadOnlyDictionary<string, string> Triggers { get; } = Tables
        .SelectMany(table => new[]
        {
            ($"{table}_no_update", $"CREATE TRIGGER \"{table}_no_update\" BEFORE UPDATE ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION {Function}();"),
            ($"{table}_no_delete", $"CREATE TRIGGER \"{table}_no_delete\" BEFORE DELETE ON \"{table}\" FOR EACH ROW EXECUTE FUNCTION {Function}();"),
            ($"{table}_no_truncate", $"CREATE TRIGGER \"{table}_no_truncate\" BEFORE TRUNCATE ON \"{table}\" FOR EACH STATEMENT EXECUTE FUNCTION {Function}();"),
        })
        .ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);

    /// <summary>Everything the migration runs, function first.</summary>
    public static IEnumerable<string> CreateStatements => [CreateFunction, .. Triggers.Values];

    /// <summary>What the migration's Down runs.</summary>
    public static IEnumerable<string> DropStatements =>
        [.. Triggers.Keys.Select(name => $"DROP TRIGGER IF EXISTS \"{name}\" ON \"{name[..name.LastIndexOf("_no_", StringComparison.Ordinal)]}\";"),
         $"DROP FUNCTION IF EXISTS {Function}();"];

    /// <summary>What differs from the expected triggers: missing, disabled, calling another function, or extra triggers on the audit tables.</summary>
    public static async Task<IReadOnlyList<string>> FindingsAsync(GatewayDbContext db, CancellationToken ct)
    {
        // tgenabled: 'O' fires in the normal (origin) session mode, 'D' is disabled; 'R'/'A' are replica modes that an attacker could use to skip them.
        var rows = await db.Database.SqlQueryRaw<TriggerRow>("""
            SELECT t.tgname AS "Name", c.relname AS "Table", t.tgenabled::text AS "Enabled", p.proname AS "Function"
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE NOT t.tgisinternal
              AND c.relnamespace = current_schema()::regnamespace
              AND c.relname IN ('AuditRecords', 'AuditCheckpoints', 'AuditTreeNodes')
            """).ToListAsync(ct);
        var actual = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var findings = new List<string>();
        foreach (var name in Triggers.Keys)
        {
            if (!actual.TryGetValue(name, out var found))
                findings.Add($"append-only trigger {name} is missing (dropped outside the gateway)");
            else if (found.Enabled != "O")
                findings.Add($"append-only trigger {name} is disabled or set to another session mode ({found.Enabled})");
            else if (found.Function != Function)
                findings.Add($"append-only trigger {name} calls {found.Function}, not {Function} (changed outside the gateway)");
        }
        foreach (var extra in rows.Where(r => !Triggers.ContainsKey(r.Name)))
        {
            findings.Add($"unexpected trigger {extra.Name} on {extra.Table} (added outside the gateway)");
        }
        return findings;
    }

    private sealed class TriggerRow
    {
        public required string Name { get; init; }
        public required string Table { get; init; }
        public required string Enabled { get; init; }
        public required string Function { get; init; }
    }
}
