using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// Writes one referral of each kind through the real API of an in-process gateway: POST /referrals
/// as the police unit, then each Task move as a GET + PUT (If-Match) by the owner or requester,
/// so translation, labels, validation, versions, index rows and the audit chain are the gateway's.
/// </summary>
public static class TemplateWriter
{
    private const string Delivered = "https://referral-exchange.example/fhir/CodeSystem/delivered-service";

    public sealed record Written(TemplateKind Kind, string TaskId, string PatientId);

    public static async Task<IReadOnlyList<Written>> WriteAsync(BenchDataset dataset, IReadOnlyDictionary<string, string> tokenParameters, CancellationToken ct)
    {
        await using var gateway = await GatewayApp.CreateAsync(["--Gateway:Port=0", .. dataset.GatewayArguments(dataset.DataDirectory)]);
        await gateway.StartAsync(ct);
        var uri = new Uri(gateway.Urls.First());
        var certificates = new DevCertificateFiles(dataset.CertificatesDirectory);
        var ca = certificates.LoadCaPublic();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var partner in new[] { ReferralTemplates.Psw, ReferralTemplates.Provider, ReferralTemplates.Housing, ReferralTemplates.Va })
        {
            clients[partner] = await PartnerHttp.CreateWithTokenAsync(uri, certificates.LoadClient(partner), ca, new TokenRequest(partner, tokenParameters), ct);
        }
        try
        {
            var written = new List<Written>();
            foreach (var kind in ReferralTemplates.All)
            {
                written.Add(await WriteOneAsync(clients, kind, ct));
            }
            return written;
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
            await gateway.StopAsync(ct);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<Written> WriteOneAsync(Dictionary<string, HttpClient> clients, TemplateKind kind, CancellationToken ct)
    {
        // A GUID as the referral id: the cloner gives every GUID in a template's rows a fresh value.
        var body = ReferralTemplates.NativeBody(Guid.NewGuid().ToString(), kind, DateTimeOffset.UtcNow.AddMinutes(-5));
        var submitted = await SendAsync(clients[ReferralTemplates.Psw], HttpMethod.Post, "/referrals", body, "application/json", null, 201, ct);
        var locations = submitted["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>().Split('/')).ToList();
        string Of(string type) => locations.First(l => l[0] == type)[1];
        var (taskId, patientId, serviceRequestId) = (Of("Task"), Of("Patient"), Of("ServiceRequest"));

        // As a partner system would: read the Task once, then carry on from each update's answer.
        JsonObject? task = null;
        string? reader = null;
        foreach (var move in kind.Moves)
        {
            var by = move.ByRequester ? ReferralTemplates.Psw : kind.Recipient;
            var actor = clients[by];
            if (reader != by)
            {
                task = await SendAsync(actor, HttpMethod.Get, $"/fhir/Task/{taskId}", null, null, null, 200, ct);
                reader = by;
            }
            task!["status"] = move.Status;
            if (move.Reason is not null) task["statusReason"] = new JsonObject { ["text"] = move.Reason };
            if (move.Output is not null) task["output"] = new JsonArray(await OutputAsync(actor, move.Output, serviceRequestId, patientId, ct));
            var version = task["meta"]!["versionId"]!.GetValue<string>();
            task = await SendAsync(actor, HttpMethod.Put, $"/fhir/Task/{taskId}", task.ToJsonString(), "application/fhir+json", $"W/\"{version}\"", 200, ct);
        }
        return new Written(kind, taskId, patientId);
    }

    private static async Task<JsonObject> OutputAsync(HttpClient owner, string output, string serviceRequestId, string patientId, CancellationToken ct)
    {
        var type = new JsonObject { ["text"] = "delivered" };
        if (output == "code")
        {
            return new JsonObject
            {
                ["type"] = type,
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Delivered, ["code"] = "treatment-started" }) },
            };
        }
        var procedure = new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{serviceRequestId}" }),
            ["status"] = "completed",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Delivered, ["code"] = "housing-placement-confirmed" }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
            ["performedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        var created = await SendAsync(owner, HttpMethod.Post, "/fhir/Procedure", procedure.ToJsonString(), "application/fhir+json", null, 201, ct);
        return new JsonObject { ["type"] = type, ["valueReference"] = new JsonObject { ["reference"] = $"Procedure/{created["id"]!.GetValue<string>()}" } };
    }

    private static async Task<JsonObject> SendAsync(HttpClient client, HttpMethod method, string path, string? body, string? contentType, string? ifMatch,
        int expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path}: expected {expected}, got {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!.AsObject();
    }
}
