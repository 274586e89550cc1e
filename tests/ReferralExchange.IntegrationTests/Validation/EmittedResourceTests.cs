using System.Net;
using System.Text.Json.Nodes;
using Bundle = Hl7.Fhir.Model.Bundle;
using Resource = Hl7.Fhir.Model.Resource;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Validation;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Validation;

/// <summary>
/// What the gateway sends out is what it demands of others: every resource emitted along a
/// referral's whole workflow names its profile in meta.profile (where we profile its type) and
/// passes Firely's validator against base R4 and that profile; the documented examples still go in.
/// </summary>
public sealed class EmittedResourceTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly Dictionary<string, string> OurProfiles = new()
    {
        ["Patient"] = FhirUris.PatientProfile,
        ["ServiceRequest"] = FhirUris.ServiceRequestProfile,
        ["Consent"] = FhirUris.ConsentProfile,
        ["Task"] = FhirUris.TaskProfile,
        ["Procedure"] = FhirUris.ProcedureProfile,
    };

    [Fact]
    public async Task Workflow_EveryEmittedResource_ValidatesAgainstItsDeclaredProfile()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var emitted = new List<(string What, string Json)>();
        async Task<JsonObject> Keep(string what, Task<HttpResponseMessage> call)
        {
            var response = await call;
            var json = await response.Content.ReadAsStringAsync();
            emitted.Add((what, json));
            return JsonNode.Parse(json)!.AsObject();
        }

        var submitted = await Keep("transaction-response", psw.PostNativeAsync(ReferralSamples.Native()));
        var locations = submitted["entry"]!.AsArray().Select(e => string.Join('/', e!["response"]!["location"]!.GetValue<string>().Split('/').Take(2))).ToList();
        var taskPath = locations.Single(l => l.StartsWith("Task/", StringComparison.Ordinal));
        await Keep("inbox", provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&status=requested&_count=100"));
        foreach (var location in locations)
        {
            await Keep($"read {location.Split('/')[0]}", provider.GetAsync($"/fhir/{location}"));
        }
        var flow = new ReferralFlow(gateway, taskPath.Split('/')[1],
            locations.Single(l => l.StartsWith("ServiceRequest/", StringComparison.Ordinal)).Split('/')[1],
            locations.Single(l => l.StartsWith("Patient/", StringComparison.Ordinal)).Split('/')[1]);
        emitted.Add(("accepted Task", await (await flow.MoveAsync(GatewayFixture.BehavioralHealth, "accepted")).Content.ReadAsStringAsync()));
        var procedure = await flow.RecordDeliveryAsync(GatewayFixture.BehavioralHealth, "intake-appointment-attended");
        await Keep("read Procedure", provider.GetAsync($"/fhir/{procedure}"));
        emitted.Add(("completed Task", await (await flow.MoveAsync(GatewayFixture.BehavioralHealth, "completed",
            output: new JsonObject { ["valueReference"] = new JsonObject { ["reference"] = procedure } })).Content.ReadAsStringAsync()));
        await Keep("Task history", provider.GetAsync($"/fhir/{taskPath}/_history"));
        await Keep("source reads the Task", psw.GetAsync($"/fhir/{taskPath}"));
        await Keep("refused read", provider.GetAsync("/fhir/Task/not-a-task"));

        var validator = gateway.Services.GetRequiredService<ProfileValidator>();
        var failures = new List<string>();
        foreach (var (what, json) in emitted)
        {
            var resource = FhirJson.Parse(json);
            foreach (var inner in resource is Bundle bundle ? bundle.Entry.Select(e => e.Resource).OfType<Resource>().Prepend(bundle) : [resource])
            {
                if (OurProfiles.TryGetValue(inner.TypeName, out var profile) && inner.Meta?.Profile.Contains(profile) != true)
                {
                    failures.Add($"{what}: {inner.TypeName} does not name {profile} in meta.profile");
                }
            }
            failures.AddRange(validator.Validate(resource).Select(i => $"{what}: {i.Expression}: {i.Message}"));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(emitted, e => e.What == "read Procedure");
    }

    [Fact]
    public async Task DocumentedExample_NativeReferral_IsAccepted()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var example = JsonNode.Parse(File.ReadAllText(Locate("docs/examples/referral.json")))!;

        var response = await psw.PostNativeAsync(example);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static string Locate(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(relative);
    }
}
