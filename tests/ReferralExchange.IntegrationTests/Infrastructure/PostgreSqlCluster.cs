using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL cluster for the test run (ADR 0017): <c>initdb</c> into a temporary folder,
/// <c>pg_ctl start</c> on a free loopback port with its unix socket in that folder, stopped and
/// removed when the test process exits. PostgreSQL refuses to run as root, so as root (CI) the
/// cluster belongs to an unprivileged OS user (<c>RX_PG_OS_USER</c>, else <c>postgres</c>, else
/// <c>nobody</c>) and every server command runs through <c>runuser</c>. One cluster per run
/// (initdb takes seconds), one database per test class. No binaries, or a cluster that will not
/// start, fails the tests that need it, loudly: it is never a skip.
/// </summary>
public sealed class PostgreSqlCluster
{
    /// <summary>The superuser initdb creates; only the fixture uses it (roles, databases).</summary>
    public const string Admin = "rx_admin";
    /// <summary>Owns each test database and its tables; migrations run as this role.</summary>
    public const string OwnerRole = "rx_owner";
    /// <summary>The gateway's runtime role: INSERT and SELECT only on the audit tables.</summary>
    public const string RuntimeRole = "rx_gateway";

    private const string Prefix = "rx-pg-";
    private static readonly Lazy<Task<PostgreSqlCluster>> Instance = new(StartAsync);

    private readonly string _root;
    private readonly string _bin;
    private readonly string? _osUser;

    private PostgreSqlCluster(string root, string bin, string? osUser, int port)
    {
        _root = root;
        _bin = bin;
        _osUser = osUser;
        Port = port;
    }

    public int Port { get; }
    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The run's cluster, started on first use.</summary>
    public static Task<PostgreSqlCluster> SharedAsync() => Instance.Value;

    public string ConnectionString(string user, string database) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30;Command Timeout=120";

    /// <summary>A fresh database owned by <see cref="OwnerRole"/>, which the runtime role may connect to (nothing more until the owner grants).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "rx_" + Guid.NewGuid().ToString("N")[..16];
        await using var admin = new NpgsqlConnection(ConnectionString(Admin, "postgres"));
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"CREATE DATABASE {name} OWNER {OwnerRole}");
        await ExecuteAsync(admin, $"REVOKE ALL ON DATABASE {name} FROM PUBLIC");
        await ExecuteAsync(admin, $"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO {RuntimeRole}");
        return name;
    }

    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ConnectionString(Admin, "postgres"));
        await admin.OpenAsync();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static async Task<PostgreSqlCluster> StartAsync()
    {
        var bin = FindBinaries();
        var osUser = Environment.UserName == "root" ? ServerUser() : null;
        RemoveStale(bin);
        var root = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(root);
        if (osUser is not null)
        {
            await RunAsync("chown", [osUser, root], null);
        }
        var cluster = new PostgreSqlCluster(root, bin, osUser, FreePort());
        try
        {
            await cluster.ServerAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", Admin, "-E", "UTF8", "--no-locale", "--no-sync"]);
            // Durability settings off: the tests exercise semantics (locks, grants, triggers), not the disk.
            var options = $"-p {cluster.Port} -h 127.0.0.1 -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
            await cluster.ServerAsync("pg_ctl", ["-D", cluster.DataDirectory, "-o", options, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"]);
            await using (var admin = new NpgsqlConnection(cluster.ConnectionString(Admin, "postgres")))
            {
                await admin.OpenAsync();
                await ExecuteAsync(admin, $"CREATE ROLE {OwnerRole} LOGIN");
                await ExecuteAsync(admin, $"CREATE ROLE {RuntimeRole} LOGIN");
            }
        }
        catch (Exception e)
        {
            var log = Path.Combine(root, "server.log");
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no server log)";
            cluster.Stop();
            throw new InvalidOperationException($"could not start a PostgreSQL cluster with {bin} as {osUser ?? Environment.UserName}: {e.Message}\n{tail}", e);
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        cluster.WatchTestProcess();
        return cluster;
    }

    /// <summary>
    /// The test host may be killed before its exit handlers finish (the runner does not wait long):
    /// a detached watcher stops the server and removes its folder once this process is gone.
    /// </summary>
    private void WatchTestProcess()
    {
        var stop = _osUser is null
            ? $"'{Path.Combine(_bin, "pg_ctl")}' -D '{DataDirectory}' -m immediate stop"
            : $"runuser -u {_osUser} -- '{Path.Combine(_bin, "pg_ctl")}' -D '{DataDirectory}' -m immediate stop";
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop} >/dev/null 2>&1; rm -rf '{_root}'";
        using var watcher = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            RedirectStandardInput = false,
            WorkingDirectory = "/",
        });
    }

    /// <summary>Stops the server (immediate: nothing in it is kept) and removes its folder.</summary>
    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try { ServerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]).Wait(TimeSpan.FromSeconds(30)); }
            catch (AggregateException) { }
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Clusters left by a test process that was killed (its pid is in the folder name and no longer runs).</summary>
    private static void RemoveStale(string bin)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var pid = Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
            if (!int.TryParse(pid, out var id) || Directory.Exists($"/proc/{id}"))
            {
                continue;
            }
            var stale = new PostgreSqlCluster(folder, bin, Environment.UserName == "root" ? ServerUser() : null, 0);
            stale.Stop();
        }
    }

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("RX_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).ToList()
            : [];
        if (versions.Count > 0)
        {
            return versions[0];
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin or on PATH): apt-get install -y postgresql, or set RX_PG_BIN");
    }

    /// <summary>The unprivileged OS user that owns the cluster when the tests run as root.</summary>
    private static string ServerUser()
    {
        if (Environment.GetEnvironmentVariable("RX_PG_OS_USER") is { Length: > 0 } configured)
        {
            return configured;
        }
        var users = File.ReadLines("/etc/passwd").Select(l => l.Split(':')[0]).ToHashSet();
        return users.Contains("postgres") ? "postgres" : "nobody";
    }

    private Task ServerAsync(string program, IReadOnlyList<string> args) =>
        _osUser is null
            ? RunAsync(Path.Combine(_bin, program), args, _root)
            : RunAsync("runuser", ["-u", _osUser, "--", Path.Combine(_bin, program), .. args], _root);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, string? workingDirectory)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // The server user may not be able to read the test's working directory.
            WorkingDirectory = workingDirectory ?? "/",
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', args)} exited {process.ExitCode}: {await errors}{await output}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
