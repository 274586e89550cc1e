using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Moves one referral's Task along as its owner or requester would, reading the current version first.</summary>
public sealed class ReferralFlow(GatewayFixture gateway, string taskId, string serviceRequestId, string patientId)
{
    private static readonly JsonObject DefaultOutput = new()
    {
        ["valueCodeableConcept"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/delivered-service", ["code"] = "service-provided" }),
        },
    };

    public string TaskId { get; } = taskId;
    public string ServiceRequestId { get; } = serviceRequestId;
    public string PatientId { get; } = patientId;

    public async Task<HttpResponseMessage> MoveAsync(string partner, string status, string? reason = "Reason given", JsonObject? output = null, bool withOutput = true)
    {
        using var client = gateway.ClientFor(partner);
        var task = await (await client.GetAsync($"/fhir/Task/{TaskId}")).JsonAsync();
        task["status"] = status;
        if (reason is not null && status is "rejected" or "cancelled" or "on-hold" or "failed")
        {
            task["statusReason"] = new JsonObject { ["text"] = reason };
        }
        if (status == "completed" && withOutput)
        {
            task["output"] = new JsonArray(new JsonObject { ["type"] = new JsonObject { ["text"] = "delivered" } }.Merge(output ?? DefaultOutput));
        }
        return await client.PutFhirAsync($"/fhir/Task/{TaskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
    }

    public async Task<string> RecordDeliveryAsync(string partner, string code)
    {
        var response = await TryRecordDeliveryAsync(partner, code);
        var body = await response.JsonAsync();
        return response.IsSuccessStatusCode ? $"Procedure/{body["id"]!.GetValue<string>()}" : throw new InvalidOperationException(body.ToJsonString());
    }

    public async Task<HttpResponseMessage> TryRecordDeliveryAsync(string partner, string code)
    {
        using var client = gateway.ClientFor(partner);
        var procedure = new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{ServiceRequestId}" }),
            ["status"] = "completed",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/delivered-service", ["code"] = code }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
            ["performedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        return await client.PostFhirAsync("/fhir/Procedure", procedure.ToJsonString());
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Merge(this JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source) target[key] = value?.DeepClone();
        return target;
    }
}
