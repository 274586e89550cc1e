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
                await PostgreSql.AccountsRuntimeGrants.GrantAsync(owner, new Npgsql.NpgsqlConnectionStringBuilder(AccountsDatabase.RuntimeConnection(database)).Username
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
}
