using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "ReferralExchange.Migrations.Sqlite";
    public const string SqlServerMigrationsAssembly = "ReferralExchange.Migrations.SqlServer";

    /// <summary>
    /// The embedded default: a SQLite file, WAL journal, waiting while another writer holds the lock,
    /// but not forever: Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout, so
    /// that is the busy timeout (<see cref="DatabaseOptions.BusyTimeout"/>; tools wait 30 s).
    /// </summary>
    public static void UseGatewaySqlite(this DbContextOptionsBuilder options, string databasePath, TimeSpan? busyTimeout = null) =>
        options.UseSqlite($"Data Source={databasePath};Default Timeout={(int)Math.Max(1, Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds))};Pooling=True",
            sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));

    /// <summary>Production: SQL Server, with its own migrations (audit tables as append-only ledger tables).</summary>
    public static void UseGatewaySqlServer(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(SqlServerMigrationsAssembly));

    /// <summary>Whether this is the embedded provider: one writer at a time, queued in-process.</summary>
    public static bool IsSqlite(string provider) => provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase);

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
}
