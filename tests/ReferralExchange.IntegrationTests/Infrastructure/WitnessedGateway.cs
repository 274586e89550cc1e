using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A gateway with its default directory witness (<c>audit-witness</c> beside its data folder),
/// that can be stopped and started again on the same folder, database and witness.
/// </summary>
public sealed class WitnessedGateway : GatewayFixture, IAsyncDisposable
{
    private readonly IReadOnlyList<KeyValuePair<string, string?>> _settings;

    private WitnessedGateway(string? root, IReadOnlyList<KeyValuePair<string, string?>> settings) : base(root) => _settings = settings;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => _settings;

    public string WitnessDirectory => Path.Combine(RootDirectory, "audit-witness");

    public string SigningKeyPath => Path.Combine(RootDirectory, "certs", "audit-signing.key");

    public static async Task<WitnessedGateway> StartAsync(string? root = null, params KeyValuePair<string, string?>[] settings)
    {
        var gateway = new WitnessedGateway(root, settings) { DeleteOnDispose = root is null };
        await gateway.InitializeAsync();
        return gateway;
    }

    /// <summary>Stops this gateway gracefully, keeping its folder, and starts another on it.</summary>
    public async Task<WitnessedGateway> RestartAsync()
    {
        await StopAsync();
        return await StartAsync(RootDirectory, [.. _settings]);
    }

    /// <summary>A graceful stop that keeps the folder (the final checkpoint runs).</summary>
    public async Task StopAsync()
    {
        DeleteOnDispose = false;
        await DisposeAsync();
    }

    /// <summary>The checkpoints the witness directory holds, by tree size.</summary>
    public IReadOnlyList<SignedCheckpoint> Witnessed() =>
        Directory.Exists(WitnessDirectory)
            ? Directory.EnumerateFiles(WitnessDirectory)
                .Where(f => CheckpointFileName.TryParse(Path.GetFileName(f), out _))
                .Order()
                .Select(f => SignedCheckpoint.Parse(File.ReadAllText(f)))
                .ToList()
            : [];

    /// <summary>Runs <c>rx</c> with this gateway's database and checkpoint key (the witness is found beside the data folder).</summary>
    public async Task<(int Exit, string Output)> VerifyAsync(params string[] extra)
    {
        var writer = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync(["audit", "verify", "--database", DatabasePath, "--signing-key", SigningKeyPath, .. extra], writer);
        return (exit, writer.ToString());
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();

    /// <summary>Removes the folder of a gateway stopped with <see cref="StopAsync"/>.</summary>
    public void DeleteFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(RootDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A client like a load balancer's health probe: a registered certificate on the TLS connection, no access token.</summary>
public static class HealthProbe
{
    public static HttpClient For(GatewayFixture gateway, string partnerId = GatewayFixture.Operator)
    {
        var certificate = gateway.Certificates.LoadClient(partnerId);
        var ca = gateway.Certificates.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => ReferralExchange.Infrastructure.Certificates.CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        return new HttpClient(handler) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Polls <c>/health/ready</c> until it answers <paramref name="expected"/> or <paramref name="limit"/> passes; returns the last answer.</summary>
    public static async Task<System.Net.HttpStatusCode> ReadyStatusWithinAsync(HttpClient probe, System.Net.HttpStatusCode expected, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var status = (await probe.GetAsync("/health/ready")).StatusCode;
            if (status == expected || DateTime.UtcNow > until)
            {
                return status;
            }
            await Task.Delay(100);
        }
    }
}
