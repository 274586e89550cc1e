using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks;

/// <summary>Starts both servers, seeds an inbox, runs each scenario and prints the comparison.</summary>
public static class BenchmarkRun
{
    private const string Psw = "psw-metro";
    private const string Provider = "bh-riverside";

    public static async Task ExecuteAsync(BenchmarkSettings settings, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "rx-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var certificates = new DevCertificateFiles(Path.Combine(root, "certs"));
        await using var gateway = await GatewayApp.CreateAsync(
        [
            "--Gateway:Port=0",
            $"--Gateway:DataDirectory={Path.Combine(root, "data")}",
            $"--Gateway:CertificatesDirectory={certificates.Directory}",
            "--Serilog:MinimumLevel:Default=Warning",
        ]);
        await gateway.StartAsync(ct);
        var gatewayUri = new Uri(gateway.Urls.First());

        var trust = new PartnerTrust([certificates.LoadCaPublic()], TimeProvider.System);
        await using var bare = await BareMtlsEndpoint.StartAsync(certificates.LoadServer(), trust);
        var bareUri = new Uri(bare.Urls.First());

        var ca = certificates.LoadCaPublic();
        var pswClients = Clients(gatewayUri, certificates.LoadClient(Psw), ca, settings.Connections);
        var providerClients = Clients(gatewayUri, certificates.LoadClient(Provider), ca, settings.Connections);
        var bareClients = Clients(bareUri, certificates.LoadClient(Provider), ca, settings.Connections);

        Console.WriteLine($"Referral Exchange benchmark: {settings.Connections} connections, {settings.Duration.TotalSeconds:0}s measured after {settings.Warmup.TotalSeconds:0}s warm-up, {Environment.ProcessorCount} cores");
        Console.WriteLine($"Seeding {settings.SeedReferrals} referrals into {Provider}'s inbox...");
        for (var i = 0; i < settings.SeedReferrals; i++)
        {
            using var seeded = await pswClients[0].PostAsync("/referrals", Referral($"seed-{i}"), ct);
            seeded.EnsureSuccessStatusCode();
        }

        const string inbox = $"/fhir/Task?owner=Organization/{Provider}&status=requested&_count=20";
        // Every gateway call below carries a certificate-bound access token, fetched once per client.
        var baseline = await LoadGenerator.RunAsync("bare Kestrel mTLS GET", bareClients,
            (c, _) => c.GetAsync("/fhir/Task", ct), settings.Warmup, settings.Duration, ct);
        var reads = await LoadGenerator.RunAsync("gateway inbox read (tokened, 20/page)", providerClients,
            (c, _) => c.GetAsync(inbox, ct), settings.Warmup, settings.Duration, ct);
        var tokens = await LoadGenerator.RunAsync("gateway token issuance (tls_client_auth)", providerClients,
            (c, _) => c.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = Provider,
            }), ct), settings.Warmup, settings.Duration, ct);
        var runId = Guid.NewGuid().ToString("N")[..6];
        var submissions = await LoadGenerator.RunAsync("gateway referral submission (native JSON)", pswClients,
            (c, n) => c.PostAsync("/referrals", Referral($"bench-{runId}-{n}"), ct), settings.Warmup, settings.Duration, ct);

        Report([baseline, reads, tokens, submissions], baseline);
        foreach (var client in pswClients.Concat(providerClients).Concat(bareClients)) client.Dispose();
        await gateway.StopAsync(ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    private static void Report(IEnumerable<LatencyStats> rows, LatencyStats baseline)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-44} {"requests",9} {"errors",7} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"thr. ratio",10} {"p50 ratio",9}");
        foreach (var r in rows)
        {
            Console.WriteLine($"{r.Scenario,-44} {r.Requests,9} {r.Errors,7} {r.Throughput,9:0.0} {r.P50Ms,8:0.00} {r.P99Ms,8:0.00} {r.Throughput / baseline.Throughput,10:0.000} {r.P50Ms / baseline.P50Ms,9:0.00}");
        }
        Console.WriteLine("thr. ratio = throughput / bare endpoint's; p50 ratio = median latency / bare endpoint's.");
    }

    private static List<HttpClient> Clients(Uri baseAddress, X509Certificate2 certificate, X509Certificate2 ca, int count) =>
        Enumerable.Range(0, count).Select(_ => new HttpClient(new ReferralExchange.Infrastructure.Outbound.ClientCredentialsHandler(certificate.GetNameInfo(X509NameType.SimpleName, false))
        {
            InnerHandler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        },
        })
        { BaseAddress = baseAddress }).ToList();

    private static StringContent Referral(string referralId) => new($$"""
        {
          "referralId": "{{referralId}}",
          "person": { "personId": "P-{{referralId}}", "givenNames": ["Synthetic"], "familyName": "Person", "birthDate": "1980-01-01", "gender": "unknown", "phone": "+1-555-0100" },
          "needs": [ { "category": "mental-health", "description": "Follow-up after crisis call" } ],
          "urgency": "urgent",
          "narrative": "Synthetic benchmark referral.",
          "referringWorker": { "workerId": "W-1", "name": "Bench Worker" },
          "recipient": "{{Provider}}",
          "consent": {
            "recipients": ["{{Provider}}"], "purposes": ["TREAT"], "dataClasses": ["demographics", "referral", "mental-health"],
            "signedOn": "2026-11-20T14:00:00Z", "expiresOn": "2027-05-20", "formReference": "https://psw.example/forms/1"
          }
        }
        """, Encoding.UTF8, "application/json");
}
