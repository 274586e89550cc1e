using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Profiles;

namespace ReferralExchange.Core.Tests.Privacy;

/// <summary>
/// Minimum necessary back to the referral source is a whitelist (docs/domain.md; HIPAA 45 CFR
/// §164.502(b)): every element of Task and Procedure carries a marker, and no marker outside the
/// whitelisted paths of minimum-necessary.json survives the shaping.
/// </summary>
public sealed partial class MinimumNecessaryShaperTests
{
    private const string Delivered = FhirUris.Base + "/CodeSystem/delivered-service";
    private static readonly ProfilePackage Package = ProfilePackage.Load(ProfilePackage.Locate(AppContext.BaseDirectory));
    private static readonly MinimumNecessaryShaper Shaper = new(MinimumNecessaryRules.Default, Package);

    public static TheoryData<string> Types() => new() { "Task", "Procedure" };

    [Theory]
    [MemberData(nameof(Types))]
    public void Shape_EveryElementMarked_NoMarkerOutsideTheWhitelistLeaves(string type)
    {
        var allowed = MinimumNecessaryRules.Default.For(type)!.Allow.ToHashSet();
        var leaked = new SortedSet<string>();
        var keptWhitelisted = new SortedSet<string>();
        var width = MarkedInstance.ChoiceWidth(type);
        Assert.True(width > 10, "the choice elements should offer many types");
        for (var variant = 0; variant < width; variant++)
        {
            var instance = MarkedInstance.Build(type, variant);
            var shaped = instance.Json.DeepClone().AsObject();

            Shaper.Shape(shaped);

            foreach (Match m in Marker().Matches(shaped.ToJsonString()))
            {
                var path = instance.PathOf[m.Value];
                (allowed.Contains(path) ? keptWhitelisted : leaked).Add(path);
            }
        }
        Assert.Empty(leaked);
        // The test can see a marker that leaves: whitelisted identifiers and references do.
        Assert.Contains($"{type}.id", keptWhitelisted);
        Assert.Contains(keptWhitelisted, p => p.EndsWith(".reference", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Task", "Task.statusReason.text")]
    [InlineData("Task", "Task.businessStatus.text")]
    [InlineData("Task", "Task.output.valueString")]
    [InlineData("Task", "Task.note.text")]
    [InlineData("Task", "Task.description")]
    [InlineData("Task", "Task.text.div")]
    [InlineData("Task", "Task.input.valueString")]
    [InlineData("Task", "Task.owner.display")]
    [InlineData("Task", "Task.statusReason.coding.display")]
    [InlineData("Task", "Task.extension.valueString")]
    [InlineData("Procedure", "Procedure.code.text")]
    [InlineData("Procedure", "Procedure.note.text")]
    [InlineData("Procedure", "Procedure.performedString")]
    [InlineData("Procedure", "Procedure.outcome.text")]
    [InlineData("Procedure", "Procedure.code.coding.display")]
    public void MarkedInstance_CarriesTheClinicalFreeText_AndTheWhitelistDoesNotName(string type, string path)
    {
        var covered = Enumerable.Range(0, MarkedInstance.ChoiceWidth(type)).SelectMany(v => MarkedInstance.Build(type, v).PathOf.Values).ToHashSet();

        Assert.Contains(path, covered);
        Assert.DoesNotContain(path, MinimumNecessaryRules.Default.For(type)!.Allow);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void MarkedInstance_CoversEveryElementOfOurProfile(string type)
    {
        var covered = Enumerable.Range(0, MarkedInstance.ChoiceWidth(type)).SelectMany(v => MarkedInstance.Build(type, v).Json.Select(p => $"{type}.{p.Key}")).ToHashSet();
        var profiled = Package.StructureDefinitions.Single(sd => sd.Type == type).Differential!.Element.Select(e => e.Path).OfType<string>().Where(p => p.Contains('.')).ToList();

        Assert.NotEmpty(profiled);

        Assert.All(profiled, p => Assert.Contains(covered, c => c == p || (p.EndsWith("[x]", StringComparison.Ordinal) && c.StartsWith(p[..^3], StringComparison.Ordinal))));
    }

    [Fact]
    public void Shape_RealisticCompletedTask_KeepsStatusCodedReasonAndDeliveryAndStaysValidFhir()
    {
        var task = JsonNode.Parse($$"""
        {
          "resourceType": "Task", "id": "t1",
          "meta": { "versionId": "3", "profile": ["{{FhirUris.TaskProfile}}"], "security": [{ "system": "{{FhirUris.Confidentiality}}", "code": "R", "display": "restricted" }] },
          "text": { "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">admitted to inpatient psych</div>" },
          "status": "completed",
          "statusReason": { "coding": [{ "system": "{{FhirUris.Base}}/CodeSystem/task-status-reason", "code": "other", "display": "dx major depression" }], "text": "admitted to inpatient psych" },
          "businessStatus": { "coding": [{ "system": "http://snomed.info/sct", "code": "35489007", "display": "Depressive disorder" }], "text": "dx major depression" },
          "intent": "order",
          "code": { "coding": [{ "system": "http://hl7.org/fhir/CodeSystem/task-code", "code": "fulfill" }] },
          "focus": { "reference": "ServiceRequest/sr1", "display": "Psychiatric admission" },
          "for": { "reference": "Patient/p1" },
          "authoredOn": "2026-11-20T10:00:00Z", "lastModified": "2026-11-21T10:00:00Z",
          "requester": { "reference": "Organization/psw-metro" },
          "owner": { "reference": "Organization/bh-riverside" },
          "note": [{ "text": "Clinical impression: acute anxiety" }],
          "output": [
            { "type": { "text": "delivered" }, "valueReference": { "reference": "Procedure/pr1", "display": "inpatient psych" } },
            { "type": { "text": "summary" }, "valueString": "admitted to inpatient psych" },
            { "type": { "text": "service" }, "valueCodeableConcept": { "coding": [{ "system": "{{Delivered}}", "code": "treatment-started", "display": "psych admission" }], "text": "inpatient" } },
            { "type": { "text": "elsewhere" }, "valueReference": { "reference": "https://evil.example/admitted inpatient psych" } }
          ]
        }
        """)!.AsObject();

        Assert.True(Shaper.Shape(task));

        var json = task.ToJsonString();
        Assert.DoesNotContain("psych", json);
        Assert.DoesNotContain("depress", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("anxiety", json);
        Assert.Equal("completed", task["status"]!.GetValue<string>());
        Assert.Equal("Other", task["statusReason"]!["coding"]![0]!["display"]!.GetValue<string>());
        Assert.Null(task["businessStatus"]);
        Assert.Equal("ServiceRequest/sr1", task["focus"]!["reference"]!.GetValue<string>());
        var outputs = task["output"]!.AsArray();
        Assert.Equal(2, outputs.Count);
        Assert.Equal("Procedure/pr1", outputs[0]!["valueReference"]!["reference"]!.GetValue<string>());
        Assert.Equal("Treatment started", outputs[1]!["valueCodeableConcept"]!["coding"]![0]!["display"]!.GetValue<string>());
        Assert.Equal("masked", outputs[0]!["type"]!["extension"]![0]!["valueCode"]!.GetValue<string>());
        // What leaves is still valid R4 for the strict parser (output.type is 1..1).
        Assert.IsType<Hl7.Fhir.Model.Task>(FhirJson.ParseStored(json));
    }

    [Fact]
    public void Shape_ProcedureWithFreeText_KeepsOnlyTheDeliveredServiceAndWhen()
    {
        var procedure = JsonNode.Parse($$"""
        {
          "resourceType": "Procedure", "id": "pr1",
          "basedOn": [{ "reference": "ServiceRequest/sr1" }],
          "status": "completed",
          "code": { "coding": [{ "system": "{{Delivered}}", "code": "intake-appointment-attended", "display": "dx major depression" }, { "system": "http://snomed.info/sct", "code": "35489007" }], "text": "dx major depression" },
          "subject": { "reference": "Patient/p1", "display": "Jane Doe" },
          "performedDateTime": "2026-11-21T10:00:00Z",
          "performer": [{ "actor": { "reference": "Organization/bh-riverside" }, "function": { "text": "psychiatrist" } }],
          "note": [{ "text": "admitted to inpatient psych" }]
        }
        """)!.AsObject();

        Assert.True(Shaper.Shape(procedure));

        var json = procedure.ToJsonString();
        Assert.DoesNotContain("psych", json);
        Assert.DoesNotContain("depress", json);
        Assert.DoesNotContain("Jane", json);
        Assert.DoesNotContain("snomed", json);
        Assert.Equal("Intake appointment attended", procedure["code"]!["coding"]![0]!["display"]!.GetValue<string>());
        Assert.Equal("2026-11-21T10:00:00Z", procedure["performedDateTime"]!.GetValue<string>());
        Assert.IsType<Hl7.Fhir.Model.Procedure>(FhirJson.ParseStored(json));
    }

    [Fact]
    public void Shape_NothingOutsideTheWhitelist_ReportsNothingRemoved()
    {
        var task = JsonNode.Parse("""{"resourceType":"Task","id":"t1","status":"requested","intent":"order","for":{"reference":"Patient/p1"}}""")!.AsObject();

        Assert.False(Shaper.Shape(task));
    }

    [GeneratedRegex(@"MRK\d{5}X")]
    private static partial Regex Marker();
}
