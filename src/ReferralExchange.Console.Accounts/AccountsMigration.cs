using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// Brings the accounts database up to date at start-up, the way the gateway migrates its own
/// (Gateway/Hosting/DatabaseMigration): given a migration connection (the owner role), the owner
/// migrates and, on PostgreSQL, grants the runtime role what the console needs (rows, not schema);
/// without one the runtime connection migrates only when something is pending.
/// </summary>
public static class AccountsMigration
{
    public static async Task RunAsync(AccountsDbContext runtime, DatabaseOptions database, CancellationToken ct)
    {
        if (database.Kind == DatabaseProvider.Sqlite)
        {
            await RefuseUnmigratedFileAsync(runtime, ct);
            await runtime.Database.MigrateAsync(ct);
            await runtime.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return;
        }
        if (database.MigrationConnectionString is { Length: > 0 } ownerConnection)
        {
            var options = new DbContextOptionsBuilder<AccountsDbContext>();
            options.UseAccounts(database.Kind, ownerConnection);
            await using var owner = new AccountsDbContext(options.Options);
            await owner.Database.MigrateAsync(ct);
            if (database.Kind == DatabaseProvider.PostgreSql)
            {
                await GrantRuntimeRoleAsync(owner, new Npgsql.NpgsqlConnectionStringBuilder(AccountsDatabase.RuntimeConnection(database)).Username
                    ?? throw new InvalidOperationException($"{AccountsDatabase.Section}:ConnectionString must name its Username (the runtime role)"), ct);
            }
            return;
        }
        if ((await runtime.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await runtime.Database.MigrateAsync(ct);
        }
    }

    /// <summary>
    /// Before migrations the development console made its SQLite file with EnsureCreated: Identity's
    /// tables and no migrations history, which Migrate would try to create again. Its accounts were
    /// the seeded development ones, so the answer is to delete the file (they are seeded anew).
    /// </summary>
    private static async Task RefuseUnmigratedFileAsync(AccountsDbContext db, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await TableExistsAsync(connection, "AspNetUsers", ct) && !await TableExistsAsync(connection, "__EFMigrationsHistory", ct))
            {
                throw new InvalidOperationException($"{connection.DataSource} was created before the accounts database had migrations (development only): delete it and start again, the development accounts are seeded anew");
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> TableExistsAsync(DbConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$name";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// PostgreSQL, owner and runtime roles apart (as ADR 0017 for the gateway): the console's role
    /// reads and writes the account rows and may not change the schema or the migrations history.
    /// Serialised by an advisory lock so replicas starting together do not collide on the catalog.
    /// </summary>
    private static async Task GrantRuntimeRoleAsync(AccountsDbContext owner, string runtimeRole, CancellationToken ct)
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
