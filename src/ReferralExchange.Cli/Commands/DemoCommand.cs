using System.CommandLine;
using System.Text.Json.Nodes;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx demo</c>: the whole closed loop against a running gateway, with synthetic data. A PSW refers
/// a veteran in crisis to the VA and to a housing agency; both accept; housing confirms a placement;
/// the VA reports the intake appointment; the PSW sees both delivered; the person revokes consent;
/// the VA's next read is refused.
/// </summary>
public static class DemoCommand
{
    private const string Psw = "psw-metro";
    private const string Va = "va-central";
    private const string Housing = "housing-harbor";
    private const string Delivered = "https://referral-exchange.example/fhir/CodeSystem/delivered-service";

    public static Command Create(TextWriter output)
    {
        var gateway = new Option<string>("--gateway") { Description = "The running gateway", DefaultValueFactory = _ => "https://localhost:5443" };
        var certs = new Option<DirectoryInfo>("--certs") { Description = "Development certificates", DefaultValueFactory = _ => new DirectoryInfo("certs-dev") };
        var command = new Command("demo", "Play the closed-loop story against a running gateway") { gateway, certs };
        command.SetAction(async (parse, _) =>
        {
            try
            {
                return await RunAsync(new Uri(parse.GetValue(gateway)!), parse.GetValue(certs)!, output);
            }
            catch (DemoFailure failure)
            {
                await output.WriteLineAsync($"DEMO FAILED: {failure.Message}");
                return 1;
            }
        });
        return command;
    }

    public static async Task<int> RunAsync(Uri gatewayUri, DirectoryInfo certs, TextWriter output)
    {
        using var psw = new DemoClient(gatewayUri, certs, Psw);
        using var va = new DemoClient(gatewayUri, certs, Va);
        using var housing = new DemoClient(gatewayUri, certs, Housing);
        var run = Guid.NewGuid().ToString("N")[..6];
        async Task Say(string line) => await output.WriteLineAsync(line);

        await Say("1. The police social worker refers a veteran in crisis to the VA and to a housing agency.");
        var toVa = await SubmitAsync(psw, $"DEMO-{run}-VA", Va, ["veteran-status", "mental-health"], ["demographics", "contact", "referral", "veteran", "mental-health"]);
        var toHousing = await SubmitAsync(psw, $"DEMO-{run}-HOUSING", Housing, ["homelessness"], ["demographics", "contact", "referral", "housing"]);
        await Say($"   referral to VA: Task/{toVa.Task}; referral to housing: Task/{toHousing.Task}");

        await Say("2. Both partners find the referral in their inbox and accept it.");
        foreach (var (client, referral) in new[] { (va, toVa), (housing, toHousing) })
        {
            var inbox = Expect(await client.GetAsync($"/fhir/Task?owner=Organization/{client.PartnerId}&status=requested&_count=100"), 200, "inbox");
            if (!inbox.ToJsonString().Contains(referral.Task)) throw new DemoFailure($"{client.PartnerId} does not see its referral");
            await MoveAsync(client, referral.Task, "accepted");
            await Say($"   {client.PartnerId} accepted");
        }

        await Say("3. The housing agency confirms a placement.");
        await DeliverAsync(housing, toHousing, "housing-placement-confirmed");
        await Say("4. The VA reports that the intake appointment was attended.");
        await DeliverAsync(va, toVa, "intake-appointment-attended");

        await Say("5. The police social worker sees both services delivered.");
        var (trackingStatus, trackingText) = await psw.GetTextAsync("/referrals/tracking");
        if (trackingStatus != 200) throw new DemoFailure($"tracking: expected 200, got {trackingStatus}");
        var tracking = JsonNode.Parse(trackingText)!.AsArray();
        foreach (var referral in new[] { toVa, toHousing })
        {
            var delivered = tracking.Any(t => t!["taskId"]!.GetValue<string>() == referral.Task && t["delivered"]!.GetValue<bool>());
            if (!delivered) throw new DemoFailure($"Task/{referral.Task} is not shown as delivered");
            await Say($"   Task/{referral.Task}: delivered");
        }

        await Say("6. The person revokes their consent.");
        foreach (var referral in new[] { toVa, toHousing })
        {
            Expect(await psw.SendAsync(HttpMethod.Post, $"/fhir/Consent/{referral.Consent}/$revoke", null), 200, "revoke");
        }

        await Say("7. The VA's next read is refused.");
        var (status, _) = await va.GetAsync($"/fhir/ServiceRequest/{toVa.ServiceRequest}");
        if (status != 404) throw new DemoFailure($"the VA could still read the referral ({status})");
        await Say("   refused (404): consent no longer permits it. The earlier disclosures stay in the audit trail.");
        await Say("DEMO COMPLETE");
        return 0;
    }

    private sealed record Referral(string Task, string ServiceRequest, string Patient, string Consent);

    private static async Task<Referral> SubmitAsync(DemoClient psw, string referralId, string recipient, string[] needs, string[] dataClasses)
    {
        var body = new JsonObject
        {
            ["referralId"] = referralId,
            ["person"] = new JsonObject { ["givenNames"] = new JsonArray("Sam"), ["familyName"] = "Demo", ["birthDate"] = "1979-06-01", ["gender"] = "unknown", ["phone"] = "+1-555-0123" },
            ["needs"] = new JsonArray(needs.Select(n => (JsonNode)new JsonObject { ["category"] = n, ["description"] = "Crisis call follow-up" }).ToArray()),
            ["urgency"] = "urgent",
            ["narrative"] = "Synthetic demo referral.",
            ["veteran"] = true,
            ["referringWorker"] = new JsonObject { ["workerId"] = "W-1", ["name"] = "Demo Worker" },
            ["recipient"] = recipient,
            ["consent"] = new JsonObject
            {
                ["recipients"] = new JsonArray(recipient),
                ["purposes"] = new JsonArray("TREAT", "CAREMGT"),
                ["dataClasses"] = new JsonArray(dataClasses.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
                ["signedOn"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["expiresOn"] = DateTimeOffset.UtcNow.AddMonths(6).ToString("yyyy-MM-dd"),
                ["formReference"] = "https://psw-metro.example/forms/demo",
            },
        };
        var response = Expect(await psw.SendAsync(HttpMethod.Post, "/referrals", body, "application/json"), 201, "submit");
        var locations = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>().Split('/')).ToList();
        string Of(string type) => locations.First(l => l[0] == type)[1];
        return new Referral(Of("Task"), Of("ServiceRequest"), Of("Patient"), Of("Consent"));
    }

    private static async Task MoveAsync(DemoClient client, string taskId, string status, JsonObject? output = null)
    {
        var task = Expect(await client.GetAsync($"/fhir/Task/{taskId}"), 200, "read task");
        task["status"] = status;
        if (output is not null) task["output"] = new JsonArray(output);
        Expect(await client.SendAsync(HttpMethod.Put, $"/fhir/Task/{taskId}", task, ifMatch: $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\""), 200, $"move to {status}");
    }

    private static async Task DeliverAsync(DemoClient client, Referral referral, string code)
    {
        var procedure = new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{referral.ServiceRequest}" }),
            ["status"] = "completed",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = Delivered, ["code"] = code }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{referral.Patient}" },
            ["performedDateTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
        };
        var created = Expect(await client.SendAsync(HttpMethod.Post, "/fhir/Procedure", procedure), 201, "record delivery");
        await MoveAsync(client, referral.Task, "completed", new JsonObject
        {
            ["type"] = new JsonObject { ["text"] = "delivered" },
            ["valueReference"] = new JsonObject { ["reference"] = $"Procedure/{created["id"]!.GetValue<string>()}" },
        });
    }

    private static JsonObject Expect((int Status, JsonObject? Body) response, int status, string step) =>
        response.Status == status && response.Body is not null
            ? response.Body
            : throw new DemoFailure($"{step}: expected {status}, got {response.Status} {response.Body?.ToJsonString()}");

    private sealed class DemoFailure(string message) : Exception(message);
}
