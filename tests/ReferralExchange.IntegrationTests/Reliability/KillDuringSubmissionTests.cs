using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Outbound;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// A 2xx means durable, group commit or not (ADR 0010): the gateway runs as its own process, takes
/// concurrent submissions, and is killed with SIGKILL mid-stream. After a restart on the same
/// database every acknowledged referral is there, readable, and the audit chain is whole.
/// </summary>
public sealed class KillDuringSubmissionTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-kill-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Kill9_DuringConcurrentSubmissions_LosesNoAcknowledgedReferral()
    {
        var port = FreePort();
        using (var first = StartGateway(port))
        {
            using var psw = await ReadyClientAsync(port, GatewayFixture.Psw);
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var response = await psw.PostNativeAsync(ReferralSamples.Native(referralId: "KILL-" + Guid.NewGuid().ToString("N")[..16]));
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            var body = await response.JsonAsync();
                            acknowledged.Add(body["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>())
                                .Single(l => l.StartsWith("Task/", StringComparison.Ordinal)));
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the gateway is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            // Let submissions flow, then kill without warning while they are in flight.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (acknowledged.Count < 40 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            first.Kill();
            await first.WaitForExitAsync();
            stop.Cancel();
            await Task.WhenAll(workers);
            Assert.True(acknowledged.Count >= 40, $"only {acknowledged.Count} submissions were acknowledged before the kill");

            SqliteConnection.ClearAllPools();
            using var second = StartGateway(port);
            using var again = await ReadyClientAsync(port, GatewayFixture.Psw);
            foreach (var task in acknowledged)
            {
                var read = await again.GetAsync($"/fhir/{task}");
                Assert.True(read.StatusCode == HttpStatusCode.OK, $"acknowledged {task} answers {(int)read.StatusCode} after the restart");
            }
            second.Kill();
            await second.WaitForExitAsync();
        }
        Assert.True(AuditChainFile.AssertIntact(Path.Combine(_root, "data", "referral-exchange.db")) > 40);
    }

    private Process StartGateway(int port)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = testBin;
        while (!File.Exists(Path.Combine(root.FullName, "ReferralExchange.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }
        var gatewayBin = Path.Combine(root.FullName, "src", "ReferralExchange.Gateway", "bin", testBin.Parent!.Name, testBin.Name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(gatewayBin, "ReferralExchange.Gateway.dll")])
        {
            WorkingDirectory = gatewayBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Gateway__DataDirectory"] = Path.Combine(_root, "data");
        start.Environment["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs");
        start.Environment["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key");
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        // Drain the output so the gateway never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A partner client once the gateway answers (it creates its certificates on first start).</summary>
    private async Task<HttpClient> ReadyClientAsync(int port, string partner)
    {
        var files = new DevCertificateFiles(Path.Combine(_root, "certs"));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                var client = Client(files, port, partner);
                using var probe = await client.GetAsync("/fhir/metadata");
                if (probe.IsSuccessStatusCode)
                {
                    return client;
                }
                client.Dispose();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Cryptography.CryptographicException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The gateway did not come up");
            }
            await Task.Delay(250);
        }
    }

    private static HttpClient Client(DevCertificateFiles files, int port, string partner)
    {
        var certificate = files.LoadClient(partner);
        var ca = files.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        return new HttpClient(new ClientCredentialsHandler(partner) { InnerHandler = handler })
        {
            BaseAddress = new Uri($"https://localhost:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        try { Directory.Delete(DevCertificateFiles.DefaultCaDirectory(Path.Combine(_root, "certs")), recursive: true); } catch (IOException) { }
    }
}
