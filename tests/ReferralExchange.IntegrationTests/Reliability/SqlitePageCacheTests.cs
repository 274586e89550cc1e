using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Every SQLite connection the gateway's contexts use has a bounded page cache (issue 11, RSS):
/// one kept by the pool as well as one the pool opens afresh. The default would be 2 MB each.
/// </summary>
public sealed class SqlitePageCacheTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"rx-cache-{Guid.NewGuid():N}.db");

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
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size;";
        Assert.NotEqual(-SqlitePageCache.KibibytesPerConnection, Convert.ToInt64(await command.ExecuteScalarAsync()));
    }

    private async Task<long> CacheSizeAsync()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(_path);
        await using var db = new GatewayDbContext(options.Options);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size;";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
