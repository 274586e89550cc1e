using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Every SQLite connection the gateway's contexts use has a bounded page cache (issue 11, RSS):
/// one kept by the pool as well as one the pool opens afresh. The default would be 2 MB each.
/// </summary>
public sealed class SqlitePageCacheTests : IDisposable
{
    private readonly ScratchSqliteDatabase _database = new("cache");

    [Fact]
    public async Task EveryContextConnection_HasTheBoundedPageCache()
    {
        Assert.Equal(-SqlitePageCache.KibibytesPerConnection, await CacheSizeAsync());
        // The same pooled connection again, then one opened afresh after the pool is emptied.
        Assert.Equal(-SqlitePageCache.KibibytesPerConnection, await CacheSizeAsync());
        SqliteConnection.ClearAllPools();
        Assert.Equal(-SqlitePageCache.KibibytesPerConnection, await CacheSizeAsync());
    }

    [Fact]
    public async Task AConnectionOutsideTheGatewaysContexts_KeepsSqlitesDefault()
    {
        // The check above could pass by accident if SQLite's default were ours; it is not.
        await using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size;";
        Assert.NotEqual(-SqlitePageCache.KibibytesPerConnection, Convert.ToInt64(await command.ExecuteScalarAsync()));
    }

    private async Task<long> CacheSizeAsync()
    {
        await using var db = _database.Context();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size;";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public void Dispose() => _database.Dispose();
}
