using System.Net;
using Npgsql;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// ADR 0024 on a real PostgreSQL cluster (the integration tests' temporary one): two console
/// processes, each with its gateway, on one exchange database and one accounts database of its
/// own, with roles of their own, behind the checked-in console HAProxy configuration (one public
/// URL for both). What one replica made is accepted by the other, and the accounts' runtime role
/// can neither change the schema nor reach the exchange's database.
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
    private HaproxyProcess? _balancer;
    private int _balancerPort;

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
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            _balancerPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        // As compose starts them: the second once the first has migrated (docs/deploy.md).
        _first = await ConsoleInstance.StartAsync(Args("a"));
        _second = await ConsoleInstance.StartAsync(Args("b"));
        _balancer = HaproxyProcess.StartConsole(new ReferralExchange.Infrastructure.Certificates.DevCertificateFiles(Certificates), _balancerPort,
            _first.ConsoleAddress.Port, _second.ConsoleAddress.Port);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var connection = new System.Net.Sockets.TcpClient();
                await connection.ConnectAsync(IPAddress.Loopback, _balancerPort);
                break;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 100 && !_balancer.HasExited)
            {
                await Task.Delay(100);
            }
            catch (System.Net.Sockets.SocketException)
            {
                throw new InvalidOperationException("haproxy did not listen: " + string.Join('\n', _balancer.Lines));
            }
        }
    }

    [Fact]
    public async Task SessionAndFormToken_MadeByOneReplica_AreAcceptedByTheOther()
    {
        var jar = new CookieContainer();
        using var atFirst = _first!.NewClientByName(Certificates, jar);
        using var atSecond = _second!.NewClientByName(Certificates, jar);
        // The password at the first replica; the authorization round trip goes by the public URL.
        Assert.Equal("/Referrals", (await atFirst.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password)).PathAndQuery);
        var form = await atFirst.GetAsync("/Referrals/New");

        Assert.Equal(HttpStatusCode.OK, (await atSecond.GetAsync("/Referrals")).Status);
        var created = await atSecond.PostAsync("/Referrals/New", [.. ConsoleReferrals.Form(), ("__rx_af", form.Token)]);
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        var taskId = created.Location!.Split('/', '?')[2];
        Assert.Contains($"/Referrals/{taskId}", (await atFirst.GetAsync("/Referrals")).Html);
    }

    [Fact]
    public async Task ThroughTheBalancer_SignInAndWork_WhicheverReplicaAnswers_AndOnTheOtherWhenOneStops()
    {
        using var browser = new ConsoleClient(new Uri($"https://localhost:{_balancerPort}/"),
            new ReferralExchange.Infrastructure.Certificates.DevCertificateFiles(Certificates).LoadCaPublic());
        var ready = await browser.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("Healthy", ready.Html);
        // leastconn spreads the round trips of the sign-in (authorize, code, back-channel token
        // request, callback) and of the form over both replicas.
        Assert.Equal("/Referrals", (await browser.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password)).PathAndQuery);
        var first = await ConsoleReferrals.CreateAsync(browser);

        await _second!.DisposeAsync();
        _second = null;
        // The balancer's readiness check on the console port takes the stopped replica out.
        for (var wait = 0; wait < 60 && !_balancer!.Lines.Any(l => l.Contains("console2 is DOWN", StringComparison.Ordinal)); wait++)
        {
            await Task.Delay(500);
        }
        Assert.Contains(_balancer!.Lines, l => l.Contains("console2 is DOWN", StringComparison.Ordinal));
        var second = await ConsoleReferrals.CreateAsync(browser);
        var list = await browser.GetAsync("/Referrals");
        Assert.Contains($"/Referrals/{first}", list.Html);
        Assert.Contains($"/Referrals/{second}", list.Html);
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
        // One public URL (the balancer's): one issuer and one redirect URI for both replicas.
        $"--Console:PublicBaseUrl=https://localhost:{_balancerPort}",
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
        if (_balancer is not null) await _balancer.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
        await _cluster.DropDatabaseAsync(_accounts);
        await _cluster.DropDatabaseAsync(_exchange);
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
