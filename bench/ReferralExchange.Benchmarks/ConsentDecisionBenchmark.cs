using System.Diagnostics;
using ReferralExchange.Core.Privacy;

namespace ReferralExchange.Benchmarks;

/// <summary>
/// The cost of a consent decision with warm caches (policies parsed once per version), and of
/// shaping a labelled resource for a recipient (inspect labels, redact, mark).
/// </summary>
public static class ConsentDecisionBenchmark
{
    public static void Execute(int iterations)
    {
        var now = DateTimeOffset.UtcNow;
        var policies = new[]
        {
            new ConsentPolicy("c1", true, now.AddDays(-10), "p1",
                new ConsentProvision(true, now.AddDays(-10), now.AddDays(180), ["bh", "va"], ["TREAT", "CAREMGT"], ["referral", "demographics", "contact", "mental-health", "substance-use"], [],
                    [new ConsentProvision(false, null, null, ["va"], [], ["substance-use"], [], [])]), null),
            new ConsentPolicy("c2", true, now.AddDays(-3), "p1",
                new ConsentProvision(true, now.AddDays(-3), now.AddDays(90), ["housing"], ["CAREMGT"], ["referral", "housing"], [], []), null),
            new ConsentPolicy("c3", false, now.AddDays(-1), "p1",
                new ConsentProvision(false, null, null, ["bh"], ["TREAT"], ["referral"], [], []), null),
        };
        var request = new DataRequest("p1", "bh", "TREAT", ["referral"], ["MH"], now) { ElementLabels = ["SUD", "MH"] };

        for (var i = 0; i < 10_000; i++) ConsentDecisionEngine.Decide(policies, request);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) ConsentDecisionEngine.Decide(policies, request);
        watch.Stop();
        Console.WriteLine($"consent decision (3 consents, nested exception, warm): {watch.Elapsed.TotalNanoseconds / iterations / 1000.0:0.00} µs/decision over {iterations:N0}");

        var json = SampleServiceRequest;
        for (var i = 0; i < 1000; i++) DisclosureShaper.Redact(json, ["SUD"], []);
        var shapeIterations = Math.Max(1000, iterations / 20);
        watch.Restart();
        for (var i = 0; i < shapeIterations; i++)
        {
            DisclosureShaper.Inspect(json);
            DisclosureShaper.Redact(json, ["SUD"], []);
        }
        watch.Stop();
        Console.WriteLine($"shape a labelled ServiceRequest (inspect + redact + mark): {watch.Elapsed.TotalNanoseconds / shapeIterations / 1000.0:0.00} µs/resource over {shapeIterations:N0}");

        // What one cached Consent version costs the managed heap (Gateway:ConsentCacheEntries bounds how many are kept).
        var example = File.ReadAllText(Path.Combine(ReferralExchange.Core.Profiles.ProfilePackage.Locate(AppContext.BaseDirectory), "examples", "Consent-example.json"));
        const int entries = 10_000;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using (var cache = new ReferralExchange.Infrastructure.Privacy.ConsentPolicyCache(entries))
        {
            for (var i = 0; i < entries; i++)
            {
                var consent = (Hl7.Fhir.Model.Consent)ReferralExchange.Core.Fhir.FhirJson.ParseStored(example);
                consent.Id = $"consent-{i:D8}";
                cache.Add(consent.Id, 1, ConsentPolicyReader.Read(consent));
            }
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            Console.WriteLine($"parsed-consent cache: {(heapAfter - heapBefore) / (double)entries:0} bytes per cached Consent version ({cache.Count:N0} held)");
        }
    }

    /// <summary>A labelled ServiceRequest as the gateway stores it (shared with the resource-hash benchmark).</summary>
    public static string SampleServiceRequestJson => SampleServiceRequest;

    private const string SampleServiceRequest = """
        {"resourceType":"ServiceRequest","id":"01a2","meta":{"versionId":"1","lastUpdated":"2026-11-23T08:00:00.000+00:00","security":[{"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"}]},
         "identifier":[{"system":"https://referral-exchange.example/fhir/sid/partner/psw-metro/referral","value":"R-1"}],"status":"active","intent":"order",
         "category":[{"extension":[{"url":"http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label","valueCoding":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"MH"}}],"coding":[{"system":"https://referral-exchange.example/fhir/CodeSystem/referral-category","code":"mental-health"}]},
                     {"extension":[{"url":"http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label","valueCoding":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}}],"coding":[{"system":"https://referral-exchange.example/fhir/CodeSystem/referral-category","code":"substance-use"}]}],
         "priority":"urgent","code":{"coding":[{"system":"https://referral-exchange.example/fhir/CodeSystem/referral-service","code":"case-management"}]},
         "subject":{"reference":"Patient/01a3"},"authoredOn":"2026-11-23T08:00:00Z","requester":{"reference":"PractitionerRole/01a4"},"performer":[{"reference":"Organization/bh"}],
         "supportingInfo":[{"reference":"Consent/01a5"}],"note":[{"extension":[{"url":"http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label","valueCoding":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"SUD"}}],"text":"Narrative"}]}
        """;
}
