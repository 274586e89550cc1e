using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// The real gateway on Kestrel at 127.0.0.1 (ephemeral port), real mutual TLS, a real database (a
/// SQLite file by default; PostgreSQL with <see cref="PostgreSqlGatewayFixture"/>), and development
/// certificates created by the gateway itself in a temporary folder. One per test class: a host
/// starts in about a second.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    public const string Psw = "psw-metro";
    public const string BehavioralHealth = "bh-riverside";
    public const string Housing = "housing-harbor";
    public const string Veterans = "va-central";
    public const string Operator = "gateway-operator";

    private readonly string _root;

    public GatewayFixture() : this(null)
    {
    }

    /// <param name="root">An existing gateway's folder, to start a gateway again on the same database and certificates.</param>
    /// <param name="database">The database to run on (that gateway's, to start again on it); SQLite when not given.</param>
    protected GatewayFixture(string? root, TestDatabase? database = null)
    {
        _root = root ?? Path.Combine(Path.GetTempPath(), "rx-it-" + Guid.NewGuid().ToString("N")[..12]);
        Database = database ?? TestDatabase.Sqlite();
    }

    /// <summary>What this gateway stores its data in.</summary>
    public TestDatabase Database { get; }

    /// <summary>A raw connection to this gateway's database (the owner's, on PostgreSQL).</summary>
    public System.Data.Common.DbConnection OpenDatabase(bool readOnly = false) => Database.Open(Path.Combine(_root, "data"), readOnly);

    /// <summary>False keeps the database and certificates after disposal (for restart tests).</summary>
    public bool DeleteOnDispose { get; set; } = true;
    private GatewayFactory? _factory;

    public Uri BaseAddress { get; private set; } = null!;
    public DevCertificateFiles Certificates { get; private set; } = null!;
    public string DatabasePath => Path.Combine(_root, "data", "referral-exchange.db");
    public CapturingLogSink Logs { get; } = new();
    public long MaxBodyBytes => 64 * 1024;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>The base every link of this gateway carries (derived from its listen address unless configured).</summary>
    public string PublicBaseUrl => Services.GetRequiredService<ReferralExchange.Gateway.Hosting.PublicBaseUrl>().Root;

    public string RootDirectory => _root;

    /// <summary>Services to replace in the gateway under test (e.g. a Key Vault signer against WireMock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Configuration to add or override for the gateway under test.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [];

    public virtual async Task InitializeAsync()
    {
        await Database.PrepareAsync();
        Certificates = new DevCertificateFiles(Path.Combine(_root, "certs"));
        _factory = new GatewayFactory(new Dictionary<string, string?>
        {
            ["Gateway:Port"] = "0",
            ["Gateway:DataDirectory"] = Path.Combine(_root, "data"),
            ["Gateway:CertificatesDirectory"] = Certificates.Directory,
            ["Gateway:DevelopmentCertificates"] = "true",
            ["Gateway:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(),
            ["Gateway:Audit:LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key"),
            // Checkpoints are taken explicitly by the tests that need them.
            ["Gateway:Audit:CheckpointPollInterval"] = "01:00:00",
            // Two shared cores under a parallel test run queue writes for seconds: the production bounds
            // (5 s busy, 30 s per request) would shed load here. The tests of those bounds set their own.
            ["Gateway:Database:BusyTimeout"] = "00:01:00",
            ["Gateway:RequestTimeout"] = "00:02:00",
        }.Concat(Database.Settings(Path.Combine(_root, "data"))).Concat(ExtraSettings).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value), Logs, ConfigureServices);
        _factory.UseKestrel();
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1"));
    }

    /// <summary>An HTTP client holding the given partner's dev certificate; its token asks for these purposes of use (none: the partner's default).</summary>
    public HttpClient ClientFor(string partnerId, params string[] purposes) => ClientWith(Certificates.LoadClient(partnerId), purposes);

    /// <summary>An HTTP client presenting exactly this certificate (or none).</summary>
    public HttpClient ClientWith(X509Certificate2? certificate, IReadOnlyList<string>? purposes = null)
    {
        var caCertificate = Certificates.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = certificate is null ? null : new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, serverCert, _, _) => CustomRootValidation.ChainsTo(serverCert, [caCertificate]),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        };
        // Like a partner system: a certificate-bound access token, fetched over this same connection.
        HttpMessageHandler pipeline = certificate is null
            ? handler
            : new ReferralExchange.Infrastructure.Outbound.ClientCredentialsHandler(certificate.GetNameInfo(X509NameType.SimpleName, false), purposes: purposes) { InnerHandler = handler };
        // Generous: on two shared cores under a parallel test run a request can queue for many seconds;
        // a hung gateway still fails the test, just later.
        return new HttpClient(pipeline) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>
    /// An HTTP client holding the partner's dev certificate that fetches no token: the test sets the
    /// Authorization header itself. One connection at most makes every request share it.
    /// </summary>
    public HttpClient ClientWithoutToken(string partnerId, int maxConnections = int.MaxValue)
    {
        var certificate = Certificates.LoadClient(partnerId);
        var ca = Certificates.LoadCaPublic();
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
            MaxConnectionsPerServer = maxConnections,
        }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>Registers a notification endpoint's origin for a partner, as the operator does (rx partner endpoints add).</summary>
    public async Task RegisterNotificationEndpointAsync(string partnerId, string url)
    {
        if (Database is PostgreSqlTestDatabase)
        {
            // rx opens SQLite files only; on a server database the operator's registry runs in the gateway's own services.
            using var scope = Services.CreateScope();
            var registry = ActivatorUtilities.CreateInstance<ReferralExchange.Infrastructure.Partners.PartnerRegistry>(scope.ServiceProvider,
                ReferralExchange.Infrastructure.Persistence.WriteGate.None());
            await registry.AddNotificationEndpointAsync(partnerId, url, allowLocal: true, CancellationToken.None);
            return;
        }
        var output = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync(["partner", "endpoints", "add", "--id", partnerId, "--url", url, "--allow-local", "--database", DatabasePath], output);
        if (exit != 0) throw new InvalidOperationException($"rx partner endpoints add failed: {output}");
    }

    public virtual async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        // Logs are not the audit trail and hold no PHI (issue 5): every log line any test made this
        // gateway write is scanned for the synthetic person's details.
        var leaks = Logs.Lines.Where(line => ReferralSamples.PersonData.Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        if (leaks.Count > 0)
        {
            throw new InvalidOperationException($"{leaks.Count} log line(s) contain person data; first: {leaks[0][..Math.Min(200, leaks[0].Length)]}");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (DeleteOnDispose)
        {
            await Database.DropAsync();
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private sealed class GatewayFactory(IReadOnlyDictionary<string, string?> settings, CapturingLogSink logs, Action<IServiceCollection> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            builder.UseEnvironment("Development");
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<Serilog.Core.ILogEventSink>(logs);
                configure(services);
            });
        }
    }
}
