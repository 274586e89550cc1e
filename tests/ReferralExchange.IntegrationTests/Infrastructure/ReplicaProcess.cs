using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// One gateway replica as its own OS process (<see cref="GatewayProcess"/>) on a shared PostgreSQL
/// database, with the certificates and witness folder of a gateway that set the deployment up
/// (ADR 0020). Replicas hold nothing of their own: any number can run on one root and database.
/// </summary>
public sealed class ReplicaProcess : IAsyncDisposable
{
    private ReplicaProcess(Process process, ConcurrentQueue<string> lines, int port)
    {
        Process = process;
        Lines = lines;
        Port = port;
    }

    public Process Process { get; }
    public ConcurrentQueue<string> Lines { get; }
    public int Port { get; }

    /// <summary>The prefix of the signer lease holder this process writes (machine/pid/…).</summary>
    public string LeaseHolderPrefix => $"{Environment.MachineName}/{Process.Id}/";

    public static ReplicaProcess Start(string root, PostgreSqlTestDatabase database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = GatewayProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Gateway__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Gateway__DataDirectory"] = Path.Combine(root, "data"),
            ["Gateway__CertificatesDirectory"] = Path.Combine(root, "certs"),
            ["Gateway__Audit__LocalKeyPath"] = Path.Combine(root, "certs", "audit-signing.key"),
            ["Gateway__Database__Provider"] = "postgresql",
            ["Gateway__Database__ConnectionString"] = database.RuntimeConnectionString,
            ["Gateway__Database__MigrationConnectionString"] = database.OwnerConnectionString,
            ["Gateway__Database__BusyTimeout"] = "00:00:30",
            ["Gateway__RequestTimeout"] = "00:01:00",
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var (process, lines) = GatewayProcess.Start(environment);
        return new ReplicaProcess(process, lines, port);
    }

    public async Task<HttpClient> ClientAsync(string root, string partner)
    {
        try
        {
            return await GatewayProcess.ReadyClientAsync(root, Port, partner);
        }
        catch (TimeoutException)
        {
            var exited = Process.HasExited ? $"exited {Process.ExitCode}" : "still running";
            throw new TimeoutException($"replica on port {Port} did not come up ({exited}): {string.Join(" | ", Lines.TakeLast(8))}");
        }
    }

    /// <summary>SIGKILL: no drain, no final checkpoint, leases left to expire.</summary>
    public async Task KillAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }
        await Process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait for the clean stop.</summary>
    public async Task StopAsync()
    {
        if (!Process.HasExited)
        {
            GatewayProcess.Terminate(Process);
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Process.Dispose();
    }
}
