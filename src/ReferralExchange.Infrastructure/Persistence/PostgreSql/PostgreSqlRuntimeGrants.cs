using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The second protection of the audit tables (ADR 0017): the gateway's runtime role may INSERT and
/// SELECT them and nothing else, so even with the triggers gone it cannot change the trail. The
/// owner role (which runs the migrations) applies these after every migration, so a table a later
/// migration adds is granted too; the statements are idempotent.
/// </summary>
public static class PostgreSqlRuntimeGrants
{
    /// <summary>The statements for a runtime role in a schema, in order (also printed in ADR 0017).</summary>
    public static IReadOnlyList<string> Statements(string schema, string runtimeRole)
    {
        var s = Identifier(schema);
        var role = Identifier(runtimeRole);
        var audit = string.Join(", ", PostgreSqlAppendOnly.Tables.Select(Identifier));
        return
        [
            $"GRANT USAGE ON SCHEMA {s} TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {role}",
            $"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {role}",
            $"GRANT SELECT, INSERT ON {audit} TO {role}",
            // The runtime role reads the migrations history (to refuse an old schema) but never writes it.
            $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {s}.\"__EFMigrationsHistory\" FROM {role}",
            $"GRANT SELECT ON {s}.\"__EFMigrationsHistory\" TO {role}",
        ];
    }

    /// <summary>Applies the grants as the connected owner; nothing to do when the runtime role is the owner itself (a one-role development setup).</summary>
    public static async Task ApplyAsync(GatewayDbContext owner, string runtimeRole, CancellationToken ct)
    {
        var who = await owner.Database.SqlQueryRaw<Names>("SELECT current_user::text AS \"User\", current_schema()::text AS \"Schema\"").SingleAsync(ct);
        if (who.User == runtimeRole)
        {
            return;
        }
        await using var transaction = await owner.Database.BeginTransactionAsync(ct);
        await PostgreSqlLocks.LockAsync(owner, PostgreSqlLocks.RuntimeGrants, ct);
        foreach (var statement in Statements(who.Schema, runtimeRole))
        {
            await owner.Database.ExecuteSqlRawAsync(statement, ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>A quoted identifier: the role comes from configuration, never spliced in raw.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed class Names
    {
        public required string User { get; init; }
        public required string Schema { get; init; }
    }
}
