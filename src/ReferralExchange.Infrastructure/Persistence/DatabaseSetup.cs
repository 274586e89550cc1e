using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence.PostgreSql;

namespace ReferralExchange.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "ReferralExchange.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "ReferralExchange.Migrations.SqlServer";
    public const string PostgreSqlMigrationsAssembly = "ReferralExchange.Migrations.PostgreSql";

    /// <summary>
    /// The embedded default: a SQLite file, WAL journal, waiting while another writer holds the lock,
    /// but not forever: Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout, so
    /// that is the busy timeout (<see cref="DatabaseOptions.BusyTimeout"/>; tools wait 30 s).
    /// </summary>
    public static void UseGatewaySqlite(this DbContextOptionsBuilder options, string databasePath, TimeSpan? busyTimeout = null) =>
        options.UseSqlite($"Data Source={databasePath};Default Timeout={(int)Math.Max(1, Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds))};Pooling=True",
            sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
            .AddInterceptors(SqliteConnectionPerContext.Instance, SqlitePageCache.Instance);

    /// <summary>Production: SQL Server, with its own migrations (audit tables as append-only ledger tables).</summary>
    public static void UseGatewaySqlServer(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));

    /// <summary>
    /// Production: PostgreSQL, with its own migrations (audit tables append-only by trigger and by the runtime role's grants, ADR 0017).
    /// The busy timeout becomes the session's <c>lock_timeout</c> unless the connection string sets
    /// its own options: a row or advisory lock held by another replica past it fails with 55P03,
    /// which answers 503 with Retry-After like a busy SQLite file (issue 13 §4).
    /// </summary>
    public static void UseGatewayPostgreSql(this DbContextOptionsBuilder options, string connectionString, TimeSpan? busyTimeout = null) =>
        options.UseNpgsql(WithLockTimeout(connectionString, busyTimeout), pg => pg.MigrationsAssembly(PostgreSqlMigrationsAssembly));

    private static string WithLockTimeout(string connectionString, TimeSpan? busyTimeout)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (busyTimeout is not { } timeout || !string.IsNullOrEmpty(builder.Options))
        {
            return connectionString;
        }
        builder.Options = $"-c lock_timeout={(long)Math.Max(1, timeout.TotalMilliseconds)}";
        return builder.ConnectionString;
    }

    /// <summary>The provider a configured name means; an unknown name stops the gateway rather than falling back to SQLite.</summary>
    public static DatabaseProvider Parse(string provider) => provider.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "sqlserver" => DatabaseProvider.SqlServer,
        "postgresql" or "postgres" => DatabaseProvider.PostgreSql,
        _ => throw new ArgumentException($"unknown database provider '{provider}': sqlite, sqlserver or postgresql"),
    };

    /// <summary>Whether this is the embedded provider: one writer at a time, queued in-process.</summary>
    public static bool IsSqlite(string provider) => Parse(provider) == DatabaseProvider.Sqlite;

    /// <summary>Uses the configured server database (not SQLite, which is a file path).</summary>
    public static void UseGatewayServer(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, TimeSpan? busyTimeout = null)
    {
        switch (provider)
        {
            case DatabaseProvider.SqlServer: options.UseGatewaySqlServer(connectionString); break;
            case DatabaseProvider.PostgreSql: options.UseGatewayPostgreSql(connectionString, busyTimeout); break;
            default: throw new ArgumentOutOfRangeException(nameof(provider), provider, "not a server database");
        }
    }

    public static async Task MigrateAsync(GatewayDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while a referral is being written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        // Records from before the Merkle tree (ADR 0011) become its leaves before anything appends.
        await Audit.AuditTreeBackfill.RunAsync(db, ct);
        // Task index rows from before the sort columns get them before the first search.
        await Stores.TaskIndexBackfill.RunAsync(db, ct);
    }

    /// <summary>
    /// PostgreSQL with separate roles (ADR 0017): migrates as the owner, then grants the runtime role
    /// what it may do (INSERT and SELECT only on the audit tables). Then nothing is left for the
    /// runtime connection to change in the schema.
    /// </summary>
    public static async Task MigrateAsOwnerAsync(GatewayDbContext owner, string runtimeRole, CancellationToken ct)
    {
        await MigrateAsync(owner, ct);
        await PostgreSqlRuntimeGrants.ApplyAsync(owner, runtimeRole, ct);
    }

    /// <summary>Migrations not yet applied: a runtime role that may not migrate refuses to run on an old schema.</summary>
    public static async Task<IReadOnlyList<string>> PendingMigrationsAsync(GatewayDbContext db, CancellationToken ct) =>
        (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
}

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
    PostgreSql,
}
