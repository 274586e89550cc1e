using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// Which database holds the accounts: <c>Console:Database</c>, the same shape as the gateway's
/// <c>Gateway:Database</c> (<see cref="DatabaseOptions"/>: provider, runtime and migration
/// connection strings, busy timeout). Unset: a SQLite file under the data directory
/// (<c>Console:AccountsFile</c>). Each provider has its own migrations assembly.
/// </summary>
public static class AccountsDatabase
{
    public const string Section = "Console:Database";
    public const string SqliteMigrationsAssembly = "ReferralExchange.Migrations.Accounts.Sqlite";
    public const string SqlServerMigrationsAssembly = "ReferralExchange.Migrations.Accounts.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "ReferralExchange.Migrations.Accounts.PostgreSql";

    public static void UseAccountsSqlite(this DbContextOptionsBuilder options, string path, TimeSpan? busyTimeout = null) =>
        options.UseSqlite($"Data Source={path};Default Timeout={(int)Math.Max(1, Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds))};Pooling=True",
            sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));

    public static void UseAccountsSqlServer(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));

    public static void UseAccountsPostgreSql(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, pg => pg.MigrationsAssembly(PostgreSqlMigrationsAssembly));

    /// <summary>The configured accounts database, on the runtime connection (or the SQLite file).</summary>
    public static void UseAccounts(this DbContextOptionsBuilder options, DatabaseOptions database, string sqlitePath) =>
        options.UseAccounts(database.Kind, database.Kind == DatabaseProvider.Sqlite ? sqlitePath : RuntimeConnection(database), database.BusyTimeout);

    public static string RuntimeConnection(DatabaseOptions database) => database.ConnectionString is { Length: > 0 } connection
        ? connection
        : throw new InvalidOperationException($"{Section}:ConnectionString is required for {database.Provider}");

    public static void UseAccounts(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionOrPath, TimeSpan? busyTimeout = null)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite: options.UseAccountsSqlite(connectionOrPath, busyTimeout); break;
            case DatabaseProvider.SqlServer: options.UseAccountsSqlServer(connectionOrPath); break;
            case DatabaseProvider.PostgreSql: options.UseAccountsPostgreSql(connectionOrPath); break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a database provider");
        }
    }
}
