using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.WebConsole.Accounts.PostgreSql;

/// <summary>PostgreSQL-only SQL of the accounts database lives in this folder and nowhere else (as the gateway's, ADR 0017).</summary>
public static class AccountsRuntimeGrants
{
    /// <summary>
    /// PostgreSQL, owner and runtime roles apart (as ADR 0017 for the gateway): the console's role
    /// reads and writes the account rows and may not change the schema or the migrations history.
    /// Serialised by an advisory lock so replicas starting together do not collide on the catalog.
    /// </summary>
    public static async Task GrantAsync(AccountsDbContext owner, string runtimeRole, CancellationToken ct)
    {
        var role = "\"" + runtimeRole.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var transaction = await owner.Database.BeginTransactionAsync(ct);
        // "RXACCNTS": a key of its own, never the audit chain's.
        await owner.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(5933564266208449619)", ct);
        foreach (var statement in new[]
        {
            $"GRANT USAGE ON SCHEMA \"public\" TO {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \"public\" TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \"public\" TO {role}",
            $"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON \"public\".\"__EFMigrationsHistory\" FROM {role}",
        })
        {
            await owner.Database.ExecuteSqlRawAsync(statement, ct);
        }
        await transaction.CommitAsync(ct);
    }
}
