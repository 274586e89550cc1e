using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.Infrastructure.Certificates;
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
        var port = GatewayProcess.FreePort();
        using (var first = StartGateway(port))
        {
            using var psw = await GatewayProcess.ReadyClientAsync(_root, port, GatewayFixture.Psw);
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
            using var again = await GatewayProcess.ReadyClientAsync(_root, port, GatewayFixture.Psw);
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

    private Process StartGateway(int port) => GatewayProcess.Start(new Dictionary<string, string>
    {
        ["Gateway__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gateway__DataDirectory"] = Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key"),
        ["Serilog__MinimumLevel__Default"] = "Warning",
    }).Process;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        try { Directory.Delete(DevCertificateFiles.DefaultCaDirectory(Path.Combine(_root, "certs")), recursive: true); } catch (IOException) { }
    }
}
