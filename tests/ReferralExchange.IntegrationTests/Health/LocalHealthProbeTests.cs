using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Health;

/// <summary>
/// Issue 15 §6: a container's HEALTHCHECK cannot present a partner certificate, so the gateway
/// process also answers health, and only health, on a loopback plain-HTTP port, and its own
/// <c>probe</c> verb asks it. The gateway runs as its own process, as in the image; the port reaches
/// it through a secret file (Gateway:SecretsDirectory), as Docker secrets do.
/// </summary>
public sealed class LocalHealthProbeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-probe-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task ProbeListener_FromASecretFile_AnswersHealthOnlyAndTheProbeVerbReportsIt()
    {
        var port = GatewayProcess.FreePort();
        var probePort = GatewayProcess.FreePort();
        var secrets = Directory.CreateDirectory(Path.Combine(_root, "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "Gateway__HealthProbe__Port"), probePort + "\n");
        var (gateway, _) = GatewayProcess.Start(Environment(port, secrets));
        using (gateway)
        {
            try
            {
                using var partner = await GatewayProcess.ReadyClientAsync(_root, port, GatewayFixture.Psw);
                using var plain = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{probePort}") };

                using var live = await plain.GetAsync("/health/live");
                using var ready = await plain.GetAsync("/health/ready");
                using var api = await plain.GetAsync("/fhir/metadata");
                using var token = await plain.PostAsync("/connect/token", new StringContent(""));

                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                Assert.Contains("\"audit-integrity\"", await ready.Content.ReadAsStringAsync());
                // Nothing but health on the plain listener: the API is mutual TLS only.
                Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
                Assert.Empty(await api.Content.ReadAsByteArrayAsync());
                Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
                // The mutual-TLS listener is unchanged, and the public base URL still names it.
                var smart = await (await partner.GetAsync("/.well-known/smart-configuration")).JsonAsync();
                Assert.StartsWith($"https://localhost:{port}", smart["issuer"]!.GetValue<string>());

                Assert.Equal(0, (await ProbeAsync(probePort, "ready")).Exit);
                Assert.Equal(0, (await ProbeAsync(probePort, "live")).Exit);
            }
            finally
            {
                gateway.Kill();
                await gateway.WaitForExitAsync();
            }
        }
        var (exit, output) = await ProbeAsync(probePort, "ready");
        Assert.Equal(1, exit);
        Assert.Contains("no answer", output);
    }

    [Fact]
    public async Task Probe_WithoutTheProbePortSetting_FailsSayingWhichSetting()
    {
        var (exit, output) = await ProbeAsync(null, "ready");

        Assert.Equal(1, exit);
        Assert.Contains("Gateway:HealthProbe:Port", output);
    }

    [Fact]
    public async Task Gateway_SecretsDirectoryMissing_RefusesToStartNamingTheSetting()
    {
        var environment = new Dictionary<string, string>(Environment(GatewayProcess.FreePort(), Path.Combine(_root, "no-such-folder")));

        var (exit, lines) = await GatewayProcess.RunToExitAsync(environment, TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains(lines, l => l.Contains("Gateway:SecretsDirectory", StringComparison.Ordinal));
    }

    private Dictionary<string, string> Environment(int port, string secrets) => new()
    {
        ["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway__DataDirectory"] = Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key"),
        ["Gateway__SecretsDirectory"] = secrets,
        ["Serilog__MinimumLevel__Default"] = "Warning",
    };

    /// <summary><c>dotnet ReferralExchange.Gateway.dll probe WHICH</c>, as the image's HEALTHCHECK runs it.</summary>
    private static async Task<(int Exit, string Output)> ProbeAsync(int? probePort, string which)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(GatewayProcess.BinaryDirectory, "ReferralExchange.Gateway.dll"), "probe", which])
        {
            WorkingDirectory = GatewayProcess.BinaryDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("Gateway__HealthProbe__Port");
        if (probePort is { } p) start.Environment["Gateway__HealthProbe__Port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await errors);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        try { Directory.Delete(DevCertificateFiles.DefaultCaDirectory(Path.Combine(_root, "certs")), recursive: true); } catch (IOException) { }
    }
}
