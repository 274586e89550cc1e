using System.Diagnostics;
using System.Net;
using System.Text;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>
/// Fills bh-riverside's inbox through the real API (POST /referrals as the police unit, a few
/// clients in parallel): the same data on every provider, no provider-specific bulk import.
/// Returns one of the Tasks, for the workloads that need an id.
/// </summary>
public static class InboxSeeder
{
    public static async Task SeedAsync(Deployment deployment, int referrals, IReadOnlyDictionary<string, string> tokenParameters, TextWriter log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var certificates = deployment.Certificates;
        var next = 0;
        var kind = ReferralTemplates.Open[0];
        async Task WorkerAsync()
        {
            using var client = await PartnerHttp.CreateWithTokenAsync(deployment.Uri, certificates.LoadClient(ReferralTemplates.Psw), certificates.LoadCaPublic(),
                new TokenRequest(ReferralTemplates.Psw, tokenParameters), ct);
            while (Interlocked.Increment(ref next) <= referrals)
            {
                var body = ReferralTemplates.NativeBody(Guid.NewGuid().ToString(), kind, DateTimeOffset.UtcNow.AddMinutes(-5));
                using var response = await client.PostAsync("/referrals", new StringContent(body, Encoding.UTF8, "application/json"), ct);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"seeding: POST /referrals answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => WorkerAsync()));
        log.WriteLine($"  {referrals:N0} open referrals into {ReferralTemplates.Provider}'s inbox through the API in {watch.Elapsed.TotalSeconds:0.0}s");
    }
}
