using System.Diagnostics;
using Npgsql;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>
/// A throwaway PostgreSQL cluster for one bench configuration (ADR 0017), made the way the
/// integration tests' PostgreSqlCluster makes theirs: <c>initdb</c> into a temporary folder,
/// <c>pg_ctl start</c> on a loopback port, durability off (the bench measures the gateway, not the
/// disk). PostgreSQL refuses to run as root, so as root the cluster belongs to the <c>postgres</c>
/// OS user (else <c>nobody</c>) and every server command goes through <c>runuser</c>. One database,
/// owned by the migration role; the gateway's runtime role may connect (ADR 0017's two roles).
/// </summary>
public sealed class TemporaryPostgreSql : IAsyncDisposable
{
    private const string Admin = "rx_admin";
    private const string Owner = "rx_owner";
    private const string Runtime = "rx_gateway";
    private const string Database = "rx_bench";

    private readonly string _root;
    private readonly string _bin;
    private readonly string? _osUser;

    private TemporaryPostgreSql(string root, string bin, string? osUser, int port) => (_root, _bin, _osUser, Port) = (root, bin, osUser, port);

    public int Port { get; }
    private string DataDirectory => Path.Combine(_root, "data");

    /// <param name="poolSize">Npgsql pool per gateway process: at least the bench's connection count, so the pool is not what queues.</param>
    public string RuntimeConnectionString(int poolSize) => ConnectionString(Runtime, Database, poolSize);
    public string OwnerConnectionString => ConnectionString(Owner, Database, 5);

    private string ConnectionString(string user, string database, int poolSize) =>
        $"Host=127.0.0.1;Port={Port};Username={user};Database={database};Pooling=true;Maximum Pool Size={poolSize};Timeout=30;Command Timeout=120";

    public static async Task<TemporaryPostgreSql> StartAsync(string root, int port, TextWriter log)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        bin ??= Environment.GetEnvironmentVariable("RX_PG_BIN") ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install -y postgresql, or set RX_PG_BIN)");
        var osUser = Environment.UserName == "root"
            ? (File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)) ? "postgres" : "nobody")
            : null;
        Directory.CreateDirectory(root);
        if (osUser is not null) await RunAsync("chown", [osUser, root], "/");
        var cluster = new TemporaryPostgreSql(root, bin, osUser, port);
        var watch = Stopwatch.StartNew();
        await cluster.ServerAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", Admin, "-E", "UTF8", "--no-locale", "--no-sync"]);
        var options = $"-p {port} -h 127.0.0.1 -k {root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await cluster.ServerAsync("pg_ctl", ["-D", cluster.DataDirectory, "-o", options, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"]);
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString(Admin, "postgres", 1) + ";Pooling=false"))
        {
            await admin.OpenAsync();
            foreach (var sql in new[]
            {
                $"CREATE ROLE {Owner} LOGIN", $"CREATE ROLE {Runtime} LOGIN", $"CREATE DATABASE {Database} OWNER {Owner}",
                $"REVOKE ALL ON DATABASE {Database} FROM PUBLIC", $"GRANT CONNECT, TEMPORARY ON DATABASE {Database} TO {Runtime}",
            })
            {
                await using var command = new NpgsqlCommand(sql, admin);
                await command.ExecuteNonQueryAsync();
            }
        }
        log.WriteLine($"  PostgreSQL ({bin}) on 127.0.0.1:{port} as {osUser ?? Environment.UserName}, ready in {watch.Elapsed.TotalSeconds:0.0}s");
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await ServerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]); }
        catch (InvalidOperationException) { /* already stopped */ }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private Task ServerAsync(string program, IReadOnlyList<string> args) => _osUser is null
        ? RunAsync(Path.Combine(_bin, program), args, _root)
        : RunAsync("runuser", ["-u", _osUser, "--", Path.Combine(_bin, program), .. args], _root);

    private static async Task RunAsync(string program, IReadOnlyList<string> args, string workingDirectory)
    {
        // The server user may not be able to read the bench's working directory.
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
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
}
