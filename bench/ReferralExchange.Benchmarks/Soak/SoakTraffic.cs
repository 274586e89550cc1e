using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>
/// The soak's mixed load: each worker lives referrals through, one after another, as the partners
/// would: the provider fetches a token (RFC 8705, over its own certificate), the police unit submits
/// a referral to the provider, the provider pages its inbox, reads the Task by id and moves it
/// accepted → in-progress → completed (each a PUT with If-Match). The provider's inbox therefore
/// keeps its seeded size while the database grows. Requests are paced to a global rate so the
/// gateway's memory is measured under a steady load, not at saturation.
/// </summary>
public sealed class SoakTraffic(Uri gateway, PartnerCredentials psw, PartnerCredentials provider, TokenRequest providerTokenRequest,
    string inbox, double requestsPerSecond, OperationTally tally)
{
    private const string Delivered = "https://referral-exchange.example/fhir/CodeSystem/delivered-service";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private long _slot;
    private long _started;

    public async Task RunAsync(int workers, TimeSpan length, CancellationToken ct)
    {
        _started = Stopwatch.GetTimestamp();
        var until = _started + (long)(length.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, until, ct), ct)));
    }

    private async Task WorkerAsync(int worker, long until, CancellationToken ct)
    {
        using var police = PartnerHttp.Create(gateway, psw.Certificate, psw.Ca, RequestTimeout);
        police.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", psw.Token);
        using var owner = PartnerHttp.Create(gateway, provider.Certificate, provider.Ca, RequestTimeout);
        var mentalHealth = ReferralTemplates.Open[0];
        for (var life = 0; Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested; life++)
        {
            await PaceAsync(ct);
            var token = await SendAsync(owner, SoakOperation.Token, HttpMethod.Post, providerTokenRequest.Path, null,
                new FormUrlEncodedContent(providerTokenRequest.Form()), null, ct);
            var bearer = token?["access_token"]?.GetValue<string>() ?? provider.Token;

            await PaceAsync(ct);
            var body = ReferralTemplates.NativeBody($"soak-{worker}-{life}-{Guid.NewGuid():N}", mentalHealth, DateTimeOffset.UtcNow.AddMinutes(-5));
            var bundle = await SendAsync(police, SoakOperation.Submit, HttpMethod.Post, "/referrals", null,
                new StringContent(body, Encoding.UTF8, "application/json"), null, ct);
            var taskId = bundle?["entry"]?.AsArray()
                .Select(e => e?["response"]?["location"]?.GetValue<string>().Split('/'))
                .FirstOrDefault(l => l is { Length: > 1 } && l[0] == "Task")?[1];

            await PaceAsync(ct);
            await SendAsync(owner, SoakOperation.Inbox, HttpMethod.Get, $"/fhir/Task?owner={inbox}&status=requested&_count=20", bearer, null, null, ct);
            if (taskId is null) continue;

            await PaceAsync(ct);
            var task = await SendAsync(owner, SoakOperation.ReadById, HttpMethod.Get, $"/fhir/Task/{taskId}", bearer, null, null, ct);
            foreach (var status in new[] { "accepted", "in-progress", "completed" })
            {
                if (task is null) break;
                await PaceAsync(ct);
                task["status"] = status;
                if (status == "completed")
                {
                    task["output"] = new JsonArray(new JsonObject
                    {
                        ["type"] = new JsonObject { ["text"] = "delivered" },
                        ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Delivered, ["code"] = "treatment-started" }) },
                    });
                }
                var version = task["meta"]?["versionId"]?.GetValue<string>();
                task = await SendAsync(owner, SoakOperation.TaskMove, HttpMethod.Put, $"/fhir/Task/{taskId}", bearer,
                    new StringContent(task.ToJsonString(), Encoding.UTF8, "application/fhir+json"), version is null ? null : $"W/\"{version}\"", ct);
            }
        }
    }

    /// <summary>Global pacing: request n may start at n / rate seconds after the start (a late worker does not wait).</summary>
    private async Task PaceAsync(CancellationToken ct)
    {
        var slot = Interlocked.Increment(ref _slot);
        var due = _started + (long)(slot / requestsPerSecond * Stopwatch.Frequency);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
    }

    /// <summary>Sends one request and records it; the JSON answer when it succeeded, otherwise null.</summary>
    private async Task<JsonObject?> SendAsync(HttpClient client, SoakOperation operation, HttpMethod method, string path, string? bearer,
        HttpContent? content, string? ifMatch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            tally.Record(operation, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response.IsSuccessStatusCode ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
        {
            tally.Record(operation, 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return null;
        }
    }
}

/// <summary>A partner's client certificate, the CA the gateway's certificate chains to, and a token fetched at the start.</summary>
public sealed record PartnerCredentials(System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate,
    System.Security.Cryptography.X509Certificates.X509Certificate2 Ca, string Token);
