using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway database file of its own in the temp folder, for tests that drive the persistence layer
/// in-process (group commit, the page cache) rather than through a running gateway: contexts on it
/// configured as the gateway's are, and its removal with its WAL and shared-memory files.
/// </summary>
public sealed class ScratchSqliteDatabase(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rx-{prefix}-{Guid.NewGuid():N}.db");

    /// <summary>A context as the gateway configures one (<see cref="DatabaseSetup.UseGatewaySqlite"/>), with any interceptors given.</summary>
    public GatewayDbContext Context(params IInterceptor[] interceptors)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(Path);
        if (interceptors.Length > 0)
        {
            options.AddInterceptors(interceptors);
        }
        return new GatewayDbContext(options.Options);
    }

    public async Task MigrateAsync()
    {
        await using var db = Context();
        await DatabaseSetup.MigrateAsync(db, CancellationToken.None);
    }

    public void Dispose()
    {
        // Pooled connections hold the file open: let them go first.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
