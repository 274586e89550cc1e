using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// The database a test gateway runs on, chosen by its fixture: the SQLite file in the gateway's
/// folder (the default), or a database of its own on the run's PostgreSQL cluster. Tests written
/// once against <see cref="GatewayFixture"/> run on either; raw reads go through <see cref="Open"/>.
/// </summary>
public abstract class TestDatabase
{
    public abstract string Provider { get; }

    /// <summary>Creates what the gateway will connect to (nothing for SQLite: the gateway creates the file).</summary>
    public virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>The gateway's configuration for this database.</summary>
    public abstract IEnumerable<KeyValuePair<string, string?>> Settings(string dataDirectory);

    /// <summary>A connection with the owner's rights (PostgreSQL) or to the file (SQLite), for raw reads and deliberate damage.</summary>
    public abstract DbConnection Open(string dataDirectory, bool readOnly = false);

    /// <summary>Removes the database (SQLite's file goes with the gateway's folder).</summary>
    public virtual Task DropAsync() => Task.CompletedTask;

    public static TestDatabase Sqlite() => new SqliteTestDatabase();

    public static TestDatabase PostgreSql() => new PostgreSqlTestDatabase();

    private sealed class SqliteTestDatabase : TestDatabase
    {
        public override string Provider => "sqlite";

        public override IEnumerable<KeyValuePair<string, string?>> Settings(string dataDirectory) => [];

        public override DbConnection Open(string dataDirectory, bool readOnly = false)
        {
            var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "referral-exchange.db")};{(readOnly ? "Mode=ReadOnly;" : "")}Default Timeout=30;Pooling=False");
            connection.Open();
            return connection;
        }
    }
}

/// <summary>A database of its own on the run's cluster: the owner role migrates, the gateway runs as the runtime role (ADR 0017).</summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    private PostgreSqlCluster? _cluster;

    public override string Provider => "postgresql";
    public string Name { get; private set; } = "";
    public PostgreSqlCluster Cluster => _cluster ?? throw new InvalidOperationException("not prepared");
    public string OwnerConnectionString => Cluster.ConnectionString(PostgreSqlCluster.OwnerRole, Name);
    public string RuntimeConnectionString => Cluster.ConnectionString(PostgreSqlCluster.RuntimeRole, Name);

    public override async Task PrepareAsync()
    {
        if (_cluster is not null)
        {
            return; // a gateway started again on the same database
        }
        _cluster = await PostgreSqlCluster.SharedAsync();
        Name = await _cluster.CreateDatabaseAsync();
    }

    public override IEnumerable<KeyValuePair<string, string?>> Settings(string dataDirectory) =>
    [
        new("Gateway:Database:Provider", "postgresql"),
        new("Gateway:Database:ConnectionString", RuntimeConnectionString),
        new("Gateway:Database:MigrationConnectionString", OwnerConnectionString),
    ];

    public override DbConnection Open(string dataDirectory, bool readOnly = false) => OpenAs(PostgreSqlCluster.OwnerRole);

    /// <summary>A connection as the given role (owner or runtime), to show what each may do.</summary>
    public NpgsqlConnection OpenAs(string role)
    {
        var connection = new NpgsqlConnection(Cluster.ConnectionString(role, Name) + ";Pooling=false");
        connection.Open();
        return connection;
    }

    public override Task DropAsync() => _cluster is null ? Task.CompletedTask : _cluster.DropDatabaseAsync(Name);
}
