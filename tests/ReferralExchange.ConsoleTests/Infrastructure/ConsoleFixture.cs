using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.WebConsole.Hosting;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>
/// The real process composition (<see cref="ConsoleHost"/>): the gateway on mutual TLS and the
/// console on server TLS, both on Kestrel at 127.0.0.1 (ephemeral ports), a real SQLite database
/// and accounts file, development certificates made by the gateway in a temporary folder. One per test class.
/// </summary>
public class ConsoleFixture : IAsyncLifetime
{
    public const string Password = "Console-Test-Password-1";
    /// <summary>The seeded operator's authenticator key (base32), so the test can be the authenticator app.</summary>
    public const string OperatorKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    public const string Psw = "worker@psw-metro";
    public const string BehavioralHealth = "worker@bh-riverside";
    public const string Housing = "worker@housing-harbor";
    public const string Operator = "operator@gateway-operator";

    /// <summary>The synthetic person's details: none may appear in any log line.</summary>
    public static readonly string[] PersonData = ["Ximena", "Quillfeather", "1987-03-14", "555-0199", "Lives behind the library"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-" + Guid.NewGuid().ToString("N")[..12]);
    private ConsoleHost? _host;

    public CapturingLogSink Logs { get; } = new();
    public Uri ConsoleAddress => _host!.ConsoleAddress;
    public Uri ApiAddress => _host!.ApiAddress;
    public IServiceProvider GatewayServices => _host!.Gateway.Services;
    public IServiceProvider ConsoleServices => _host!.Console.Services;
    public string CertificatesDirectory => Path.Combine(_root, "certs");
    public string ResultsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "console-screenshots");

    /// <summary>Settings a derived fixture adds (e.g. a short set-password link lifetime).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        var args = HostArgs(_root, [.. ExtraArguments]);
        _host = await ConsoleHost.StartAsync(args,
            gateway => gateway.Services.AddSingleton<Serilog.Core.ILogEventSink>(Logs),
            console => console.Services.AddSingleton<Serilog.Core.ILogEventSink>(Logs),
            TextWriter.Null);
    }

    /// <summary>The settings every test host gets: ephemeral ports, the data and certificates under <paramref name="root"/>, fixed seed credentials.</summary>
    public static string[] HostArgs(string root, params string[] more) =>
    [
        "--Gateway:Port=0",
        "--Console:Port=0",
        $"--Gateway:DataDirectory={Path.Combine(root, "data")}",
        $"--Gateway:CertificatesDirectory={Path.Combine(root, "certs")}",
        "--Gateway:DevelopmentCertificates=true",
        $"--Gateway:Audit:LocalKeyPath={Path.Combine(root, "certs", "audit-signing.key")}",
        "--Gateway:Audit:CheckpointPollInterval=01:00:00",
        "--Gateway:Database:BusyTimeout=00:01:00",
        "--Gateway:RequestTimeout=00:02:00",
        $"--Console:SeedPassword={Password}",
        $"--Console:SeedOperatorAuthenticatorKey={OperatorKey}",
        .. more,
    ];

    /// <summary>A browser-like client: trusts the development CA, keeps cookies, does not follow redirects.</summary>
    public ConsoleClient NewClient() => new(ConsoleAddress, new DevCertificateFiles(CertificatesDirectory).LoadCaPublic());

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        // Both hosts' log lines, for diagnosis (they are asserted free of person data just below).
        Directory.CreateDirectory(ResultsDirectory);
        await File.WriteAllLinesAsync(Path.Combine(ResultsDirectory, $"log-{Guid.NewGuid():N}.jsonl"), Logs.Lines);
        var leaks = Logs.Lines.Where(line => PersonData.Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException($"{leaks.Count} log line(s) contain person data; first: {leaks[0][..Math.Min(200, leaks[0].Length)]}");
        }
    }
}
