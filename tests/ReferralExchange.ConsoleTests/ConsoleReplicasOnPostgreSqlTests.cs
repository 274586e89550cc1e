using System.Net;
using Npgsql;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// ADR 0025 on a real PostgreSQL cluster (the integration tests' temporary one): two console
/// processes, each with its gateway, on one exchange database and one accounts database of its
/// own, with roles of their own. What one replica made is accepted by the other, and the accounts'
/// runtime role can neither change the schema nor reach the exchange's database.
/// </summary>
public sealed class ConsoleReplicasOnPostgreSqlTests : IAsyncLifetime
{
    private const string AccountsOwner = "rx_accounts_owner";
    private const string AccountsRole = "rx_accounts";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private PostgreSqlCluster _cluster = null!;
    private string _exchange = "";
    private string _accounts = "";
    private ConsoleInstance? _first;
    private ConsoleInstance? _second;

    private string Certificates => Path.Combine(_root, "certs");

    public async Task InitializeAsync()
    {
        _cluster = await PostgreSqlCluster.SharedAsync();
        _exchange = await _cluster.CreateDatabaseAsync();
        _accounts = "rx_accounts_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(_cluster.ConnectionString(PostgreSqlCluster.Admin, "postgres")))
        {
            await admin.OpenAsync();
            // The DBA step of docs/deploy.md for the accounts: their own owner, runtime role and database.
            foreach (var role in new[] { AccountsOwner, AccountsRole })
            {
                await ExecuteAsync(admin, $"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            }
            await ExecuteAsync(admin, $"CREATE DATABASE {_accounts} OWNER {AccountsOwner}");
            await ExecuteAsync(admin, $"REVOKE ALL ON DATABASE {_accounts} FROM PUBLIC");
            await ExecuteAsync(admin, $"GRANT CONNECT, TEMPORARY ON DATABASE {_accounts} TO {AccountsRole}");
        }
        _first = await ConsoleInstance.StartAsync(Args("a"));
        // As compose starts them: the second once the first has migrated (docs/deploy.md). Replicas
        // share one public URL (one issuer, one redirect URI); here it is the first's address, as if
        // the balancer had sent the second replica's back-channel calls there.
        _second = await ConsoleInstance.StartAsync([.. Args("b"), $"--Console:PublicBaseUrl={_first.ConsoleAddress}"]);
    }

    [Fact]
    public async Task SessionAndFormToken_MadeByOneReplica_AreAcceptedByTheOther()
    {
        var jar = new CookieContainer();
        using var atFirst = _first!.NewClient(Certificates, jar);
        using var atSecond = _second!.NewClient(Certificates, jar);
        Assert.Equal("/Referrals", (await atFirst.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password)).PathAndQuery);
        var form = await atFirst.GetAsync("/Referrals/New");

        Assert.Equal(HttpStatusCode.OK, (await atSecond.GetAsync("/Referrals")).Status);
        var created = await atSecond.PostAsync("/Referrals/New", [.. ConsoleReferrals.Form(), ("__rx_af", form.Token)]);
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var taskId = created.Location!.Split('/', '?')[2];
        Assert.Contains($"/Referrals/{taskId}", (await atFirst.GetAsync("/Referrals")).Html);
    }

    [Fact]
    public async Task AccountsRole_ReadsAndWritesAccounts_ButNotTheSchemaNorTheExchangesDatabase()
    {
        await using (var accounts = new NpgsqlConnection(_cluster.ConnectionString(AccountsRole, _accounts)))
        {
            await accounts.OpenAsync();
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM \"AspNetUsers\"", accounts))
            {
                Assert.True((long)(await count.ExecuteScalarAsync())! >= 5);
            }
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(accounts, "CREATE TABLE rx_probe (id int)")).SqlState);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(accounts, "DELETE FROM \"__EFMigrationsHistory\"")).SqlState);
        }
        // Passwords never share the audit trail's role, and the accounts' role never reaches the trail.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedConnection(AccountsRole, _exchange)).SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusedConnection(PostgreSqlCluster.RuntimeRole, _accounts)).SqlState);
    }

    private string[] Args(string replica) => ConsoleFixture.HostArgs(_root,
        $"--Gateway:DataDirectory={Path.Combine(_root, "data-" + replica)}",
        "--Gateway:Database:Provider=postgresql",
        $"--Gateway:Database:ConnectionString={_cluster.ConnectionString(PostgreSqlCluster.RuntimeRole, _exchange)}",
        $"--Gateway:Database:MigrationConnectionString={_cluster.ConnectionString(PostgreSqlCluster.OwnerRole, _exchange)}",
        "--Console:Database:Provider=postgresql",
        $"--Console:Database:ConnectionString={_cluster.ConnectionString(AccountsRole, _accounts)}",
        $"--Console:Database:MigrationConnectionString={_cluster.ConnectionString(AccountsOwner, _accounts)}",
        // The same key files for both replicas, as deploy/prepare.sh ships them.
        $"--Console:SigningKeyPath={Path.Combine(Certificates, "console-signing.key")}",
        $"--Console:EncryptionKeyPath={Path.Combine(Certificates, "console-encryption.key")}");

    private static async Task<PostgresException> Refused(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    private async Task<PostgresException> RefusedConnection(string role, string database)
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString(role, database));
        return await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (_second is not null) await _second.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
        await _cluster.DropDatabaseAsync(_accounts);
        await _cluster.DropDatabaseAsync(_exchange);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
