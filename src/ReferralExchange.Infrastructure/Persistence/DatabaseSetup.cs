using Microsoft.EntityFrameworkCore;

namespace ReferralExchange.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public const string SqliteMigrationsAssembly = "ReferralExchange.Migrations.Sqlite";

    /// <summary>The embedded default: a SQLite file, WAL journal, waiting (not failing) while another writer holds the lock.</summary>
    public static void UseGatewaySqlite(this DbContextOptionsBuilder options, string databasePath) =>
        options.UseSqlite($"Data Source={databasePath};Default Timeout=30;Pooling=True",
            sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly));

    public static async Task MigrateAsync(GatewayDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers proceed while a referral is being written.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
}
