using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Outside;
using ReferralExchange.Benchmarks.Seeding;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>
/// One <see cref="Topology"/> running: an empty data folder, the database (SQLite's file, or a
/// temporary PostgreSQL cluster), the gateway's Release build as one or two processes on it (the
/// first creates the development certificates and migrates; the second uses both, ADR 0020), and
/// for two, HAProxy with the checked-in configuration in front. <see cref="Uri"/> is where
/// partners connect. Stops only what it started.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly List<ServerProcess> _gateways = [];
    private TemporaryPostgreSql? _postgres;
    private HaproxyLauncher? _haproxy;

    private Deployment(string root) => Root = root;

    public string Root { get; }
    public Uri Uri { get; private set; } = null!;
    public DevCertificateFiles Certificates => new(Path.Combine(Root, "certs"));
    public IReadOnlyList<int> GatewayIds => _gateways.Select(g => g.Id).ToList();

    public static async Task<Deployment> StartAsync(Topology topology, string gatewayDll, string root, int connections, TextWriter log, CancellationToken ct)
    {
        var deployment = new Deployment(root);
        try
        {
            await deployment.StartAllAsync(topology, gatewayDll, connections, log, ct);
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(Topology topology, string gatewayDll, int connections, TextWriter log, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        var settings = new List<string>
        {
            $"--Gateway:DataDirectory={Path.Combine(Root, "data")}",
            $"--Gateway:CertificatesDirectory={Path.Combine(Root, "certs")}",
            $"--Gateway:Audit:LocalKeyPath={Path.Combine(Root, "certs", "audit-signing.key")}",
            "--Gateway:DevelopmentCertificates=true",
            $"--Gateway:ProfilesDirectory={RepositoryPaths.Profiles}",
            "--Gateway:AccessTokenLifetime=04:00:00",
            "--Serilog:MinimumLevel:Default=Warning",
            "--Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime=Warning",
        };
        if (topology.Provider == "postgresql")
        {
            _postgres = await TemporaryPostgreSql.StartAsync(Path.Combine(Path.GetTempPath(), "rx-bench-pg-" + Guid.NewGuid().ToString("N")[..8]), FreePort(), log);
            settings.AddRange([
                "--Gateway:Database:Provider=postgresql",
                $"--Gateway:Database:ConnectionString={_postgres.RuntimeConnectionString(Math.Max(20, connections + 8))}",
                $"--Gateway:Database:MigrationConnectionString={_postgres.OwnerConnectionString}",
                "--Gateway:Database:BusyTimeout=00:00:30",
            ]);
        }
        var balancerPort = FreePort();
        // Replicas are one gateway to partners: one public URL (the balancer's), hence one token issuer.
        if (topology.Balanced) settings.Add($"--Gateway:PublicBaseUrl=https://localhost:{balancerPort}");

        var ports = new List<int>();
        for (var i = 0; i < topology.Replicas; i++)
        {
            var port = FreePort();
            var watch = Stopwatch.StartNew();
            var gateway = ServerProcess.Start(gatewayDll, [$"--Gateway:Port={port.ToString(CultureInfo.InvariantCulture)}", .. settings], RepositoryPaths.Root,
                Path.Combine(Root, $"gateway-{i + 1}.log"));
            _gateways.Add(gateway);
            var uri = new Uri($"https://127.0.0.1:{port}/");
            // The first start writes the certificates: the probe is made once they exist.
            await gateway.WaitReadyAsync(watch, async c =>
            {
                if (!File.Exists(Certificates.ClientPfxPath(ReferralTemplates.Provider)) || !File.Exists(Certificates.CaCertificatePath)) return false;
                using var probe = PartnerHttp.Create(uri, Certificates.LoadClient(ReferralTemplates.Provider), Certificates.LoadCaPublic(), TimeSpan.FromSeconds(5));
                return (await probe.GetAsync("/fhir/metadata", c)).StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromMinutes(5), ct);
            log.WriteLine($"  gateway {i + 1} on :{port} ready in {watch.Elapsed.TotalSeconds:0.0}s");
            ports.Add(port);
            Uri = uri;
        }
        if (topology.Balanced)
        {
            _haproxy = HaproxyLauncher.Start(Certificates, "gateway-operator", Path.Combine(Root, "haproxy"), balancerPort, ports);
            Uri = new Uri($"https://127.0.0.1:{balancerPort}/");
            var watch = Stopwatch.StartNew();
            using var probe = PartnerHttp.Create(Uri, Certificates.LoadClient(ReferralTemplates.Provider), Certificates.LoadCaPublic(), TimeSpan.FromSeconds(5));
            for (var ok = 0; ok < 4 && watch.Elapsed < TimeSpan.FromMinutes(1);)
            {
                try { ok = (await probe.GetAsync("/fhir/metadata", ct)).StatusCode == HttpStatusCode.OK ? ok + 1 : 0; }
                catch (HttpRequestException) { ok = 0; }
                await Task.Delay(500, ct);
            }
            log.WriteLine($"  HAProxy (deploy/haproxy/haproxy.cfg) on :{balancerPort} in front of :{string.Join(", :", ports)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_haproxy is not null) await _haproxy.DisposeAsync();
        foreach (var gateway in _gateways) await gateway.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
