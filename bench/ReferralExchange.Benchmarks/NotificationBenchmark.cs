using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// Notification fan-out: every referral change is announced to each matching subscription; partner
/// endpoints (Kestrel, mutual TLS) answer slowly. Reports deliveries per second and the delay from
/// the change's commit (outbox row) to the partner's acknowledgement.
/// </summary>
public static class NotificationBenchmark
{
    public static async Task ExecuteAsync(int referrals, int subscribersPerPartner, int partnerDelayMs, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), "rx-notify-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var certificates = new DevCertificateFiles(Path.Combine(root, "certs"));
        var dataDir = Path.Combine(root, "data");
        await using var gateway = await GatewayApp.CreateAsync(
        [
            "--Gateway:Port=0",
            $"--Gateway:DataDirectory={dataDir}",
            $"--Gateway:CertificatesDirectory={certificates.Directory}",
            "--Gateway:Notifications:PollInterval=00:00:00.050",
            "--Serilog:MinimumLevel:Default=Warning",
        ]);
        await gateway.StartAsync(ct);
        var gatewayUri = new Uri(gateway.Urls.First());

        var received = new ConcurrentDictionary<string, DateTimeOffset>();
        await using var partner = await StartSlowPartnerAsync(certificates, partnerDelayMs, received);
        var hook = partner.Urls.First().Replace("127.0.0.1", "localhost") + "/hook";
        await RegisterEndpointAsync(gateway.Services, hook, ct);

        var ca = certificates.LoadCaPublic();
        using var psw = Client(gatewayUri, certificates.LoadClient("psw-metro"), ca);
        using var provider = Client(gatewayUri, certificates.LoadClient("bh-riverside"), ca);
        for (var i = 0; i < subscribersPerPartner; i++)
        {
            (await Subscribe(provider, "Task?owner=Organization/bh-riverside", hook, ct)).EnsureSuccessStatusCode();
            (await Subscribe(psw, "Task?requester=Organization/psw-metro", hook, ct)).EnsureSuccessStatusCode();
        }
        var expected = referrals * subscribersPerPartner * 2;
        Console.WriteLine($"Notification fan-out: {referrals} referrals x {subscribersPerPartner * 2} subscriptions = {expected} deliveries; partner answers after {partnerDelayMs} ms");

        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, referrals), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            using var response = await psw.PostAsync("/referrals", Referral($"notify-{i}"), token);
            response.EnsureSuccessStatusCode();
        });
        var submitted = watch.Elapsed;
        while (received.Count < expected && watch.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(100, ct);
        }
        watch.Stop();

        var latencies = ReadLatencies(Path.Combine(dataDir, "referral-exchange.db"));
        latencies.Sort();
        double P(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        Console.WriteLine($"  submitted in {submitted.TotalSeconds:0.0} s; {received.Count}/{expected} delivered after {watch.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"  fan-out rate: {received.Count / watch.Elapsed.TotalSeconds:0.0} deliveries/s; commit-to-acknowledged latency p50 {P(0.5):0} ms, p99 {P(0.99):0} ms");
        await gateway.StopAsync(ct);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(root, true); } catch (IOException) { }
    }

    /// <summary>Subscriptions may only notify registered origins: register the local stand-in for both subscribers, as the operator would.</summary>
    private static async Task RegisterEndpointAsync(IServiceProvider services, string hook, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var registry = new ReferralExchange.Infrastructure.Partners.PartnerRegistry(
            sp.GetRequiredService<ReferralExchange.Infrastructure.Persistence.GatewayDbContext>(),
            sp.GetRequiredService<ReferralExchange.Infrastructure.Partners.PartnerSeeder>(),
            sp.GetRequiredService<ReferralExchange.Infrastructure.Persistence.WriteGate>(),
            sp.GetRequiredService<TimeProvider>());
        foreach (var partnerId in new[] { "bh-riverside", "psw-metro" })
        {
            await registry.AddNotificationEndpointAsync(partnerId, hook, allowLocal: true, ct);
        }
    }

    private static List<double> ReadLatencies(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"DeliveredTicks\" - \"CreatedTicks\" FROM \"Notifications\" WHERE \"Status\" = 'delivered'";
        using var reader = command.ExecuteReader();
        var result = new List<double>();
        while (reader.Read()) result.Add(reader.GetInt64(0) / (double)TimeSpan.TicksPerMillisecond);
        return result;
    }

    private static async Task<WebApplication> StartSlowPartnerAsync(DevCertificateFiles certificates, int delayMs, ConcurrentDictionary<string, DateTimeOffset> received)
    {
        using var ca = certificates.LoadCa();
        var tls = ca.IssueServer(["localhost", "127.0.0.1"], DateTimeOffset.UtcNow);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(h =>
        {
            h.ServerCertificate = tls;
            h.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            h.ClientCertificateValidation = (_, _, _) => true;
        })));
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            await Task.Delay(delayMs);
            received.TryAdd(context.Request.Headers["X-Delivery-Id"].ToString(), DateTimeOffset.UtcNow);
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }

    private static Task<HttpResponseMessage> Subscribe(HttpClient client, string criteria, string endpoint, CancellationToken ct) =>
        client.PostAsync("/fhir/Subscription", new StringContent($$$"""
            {"resourceType":"Subscription","status":"requested","reason":"bench","criteria":"{{{criteria}}}",
             "channel":{"type":"rest-hook","endpoint":"{{{endpoint}}}","payload":"application/fhir+json"}}
            """, Encoding.UTF8, "application/fhir+json"), ct);

    private static HttpClient Client(Uri baseAddress, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate,
        System.Security.Cryptography.X509Certificates.X509Certificate2 ca) => new(new ReferralExchange.Infrastructure.Outbound.ClientCredentialsHandler(
            certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false))
        {
            InnerHandler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            },
        },
        }) { BaseAddress = baseAddress };

    private static StringContent Referral(string referralId) => new($$$"""
        {"referralId":"{{{referralId}}}","person":{"givenNames":["Synthetic"],"familyName":"Person","birthDate":"1980-01-01"},
         "needs":[{"category":"mental-health"}],"urgency":"urgent","referringWorker":{"name":"Bench Worker"},"recipient":"bh-riverside",
         "consent":{"recipients":["bh-riverside"],"purposes":["TREAT"],"dataClasses":["demographics","referral","mental-health"],
           "signedOn":"2026-11-20T14:00:00Z","expiresOn":"2027-05-20","formReference":"https://psw.example/forms/1"}}
        """, Encoding.UTF8, "application/json");
}
