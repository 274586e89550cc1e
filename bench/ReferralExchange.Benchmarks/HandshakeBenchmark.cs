using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// The price of mutual-TLS handshakes against the bare Kestrel mTLS endpoint: a request on a kept
/// connection, a new connection per request through one shared handler (the client may resume its
/// TLS session), and a new handler per request (a full handshake every time).
/// </summary>
public static class HandshakeBenchmark
{
    public static async Task ExecuteAsync(int seconds, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "rx-tls-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var files = new DevCertificateFiles(root);
        files.EnsureCreated(["bench-client"], ["localhost", "127.0.0.1"], DateTimeOffset.UtcNow);
        var trust = new PartnerTrust([files.LoadCaPublic()], TimeProvider.System);
        await using var bare = await BareMtlsEndpoint.StartAsync(files.LoadServer(), trust);
        var uri = new Uri(new Uri(bare.Urls.First()), "/fhir/Task");
        var certificate = files.LoadClient("bench-client");
        var ca = files.LoadCaPublic();

        SocketsHttpHandler Handler(TimeSpan lifetime) => new()
        {
            PooledConnectionLifetime = lifetime,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        };

        using var kept = new HttpClient(Handler(TimeSpan.FromMinutes(10)));
        await Report("kept connection (no handshake)", seconds, () => kept.GetAsync(uri, ct));

        using var shared = new HttpClient(Handler(TimeSpan.Zero));
        await Report("new connection, shared handler (resumable)", seconds, () => shared.GetAsync(uri, ct));

        await Report("new handler per request (full handshake)", seconds, async () =>
        {
            using var fresh = new HttpClient(Handler(TimeSpan.Zero));
            return await fresh.GetAsync(uri, ct);
        });
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    private static async Task Report(string name, int seconds, Func<Task<HttpResponseMessage>> send)
    {
        for (var i = 0; i < 50; i++) (await send()).Dispose();
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await send();
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine($"  {name,-45} {latencies.Count / watch.Elapsed.TotalSeconds,8:0.0} req/s  p50 {latencies[latencies.Count / 2],6:0.00} ms  p99 {latencies[(int)(latencies.Count * 0.99)],6:0.00} ms");
    }
}
