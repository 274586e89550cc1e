using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.ConsoleTests;

/// <summary>ADR 0024: the accounts database has migrations for each provider, in step with the model.</summary>
public sealed class AccountsMigrationTests
{
    public static TheoryData<string> Providers => ["sqlite", "postgresql", "sqlserver"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_OfEachProvider_HasNoChangesMissingFromItsMigrations(string provider)
    {
        // The design-time contexts `dotnet ef` uses; no server is contacted.
        using AccountsDbContext db = provider switch
        {
            "sqlite" => new ReferralExchange.Migrations.Accounts.Sqlite.DesignTimeFactory().CreateDbContext([]),
            "postgresql" => new ReferralExchange.Migrations.Accounts.PostgreSql.DesignTimeFactory().CreateDbContext([]),
            _ => new ReferralExchange.Migrations.Accounts.SqlServer.DesignTimeFactory().CreateDbContext([]),
        };
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Contains(db.Database.GetMigrations(), m => m.EndsWith("_InitialAccounts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SqliteFile_CreatedBeforeMigrations_IsRefusedSayingToDeleteIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rx-accounts-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<AccountsDbContext>();
            options.UseAccountsSqlite(path);
            await using (var old = new AccountsDbContext(options.Options))
            {
                // What the development console did before it had migrations.
                await old.Database.EnsureCreatedAsync();
            }
            await using var db = new AccountsDbContext(options.Options);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => AccountsMigration.RunAsync(db, new DatabaseOptions(), CancellationToken.None));
            Assert.Contains("delete it", refused.Message);
            Assert.Contains(path, refused.Message);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
