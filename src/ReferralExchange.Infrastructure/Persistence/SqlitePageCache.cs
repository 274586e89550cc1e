using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// Bounds each pooled SQLite connection's page cache (<c>PRAGMA cache_size</c>), once per physical
/// connection, when the pool first hands it out.
/// <para>Why: SQLite's default is 2 MB per connection, allocated from the C heap, and the pool keeps a
/// connection per concurrent request. Under 32 connections the C heap held about 70 MB that the
/// allocator never returned (issue 11, RSS). The cache buys little here: in WAL mode a connection
/// drops its whole cache whenever another connection has committed since its last read
/// (sqlite.org/wal.html; <c>pcache1TruncateUnsafe</c> in the profile), and every read commits an
/// audit record, so a cache rarely outlives one request. Pages the OS holds are shared by all
/// connections anyway.</para>
/// </summary>
public sealed class SqlitePageCache : DbConnectionInterceptor
{
    /// <summary>Negative: kibibytes (sqlite.org/pragma.html#pragma_cache_size).</summary>
    public const int KibibytesPerConnection = 512;

    public static readonly SqlitePageCache Instance = new();

    // Keyed by the native handle, which lives as long as the physical connection in the pool.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _bounded = [];

    private SqlitePageCache()
    {
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Bound(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Bound(connection);
        return Task.CompletedTask;
    }

    private void Bound(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } sqlite || _bounded.TryGetValue(handle, out _))
        {
            return;
        }
        using var command = sqlite.CreateCommand();
        command.CommandText = $"PRAGMA cache_size = -{KibibytesPerConnection};";
        command.ExecuteNonQuery();
        _bounded.AddOrUpdate(handle, this);
    }
}
