using System.Text.Json.Nodes;
using CsCheck;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;

namespace ReferralExchange.Core.Tests.Privacy;

/// <summary>
/// The streaming label scan reads what the parsed-tree inspection reads: over random JSON trees
/// built from the names that matter (meta, security, extension, url, valueCoding, system, code) in
/// any order and nesting, both find the same resource labels, element labels and data classes.
/// </summary>
public sealed class LabelScannerTests
{
    private static readonly string[] Keys = ["meta", "security", "extension", "url", "valueCoding", "system", "code", "note", "input"];
    private static readonly string[] Strings = [InlineLabels.ExtensionUrl, FhirUris.ActCode, FhirUris.DataClass, "http://example.org", "MH", "SUD", "ETH", "substance-use", "mental-health", "R"];

    private static Gen<JsonNode?> Node(int depth) => depth == 0
        ? Gen.Int[0, Strings.Length - 1].Select(i => (JsonNode?)JsonValue.Create(Strings[i]))
        : Gen.Frequency(
            (3, Gen.Int[0, Strings.Length - 1].Select(i => (JsonNode?)JsonValue.Create(Strings[i]))),
            (1, Gen.Int[0, 9].Select(i => (JsonNode?)JsonValue.Create(i))),
            (3, Object(depth - 1)),
            (2, Node(depth - 1).Array[0, 3].Select(items => (JsonNode?)new JsonArray(items))));

    private static Gen<JsonNode?> Object(int depth) =>
        Gen.Select(Gen.Int[0, Keys.Length - 1], Node(depth)).Array[0, 5].Select(pairs =>
        {
            var obj = new JsonObject();
            foreach (var (key, value) in pairs)
            {
                obj[Keys[key]] = value;
            }
            return (JsonNode?)obj;
        });

    private static DisclosureShaper.Shape? OverTree(string json)
    {
        try
        {
            return DisclosureShaper.Inspect(JsonNode.Parse(json)!);
        }
        catch (InvalidOperationException)
        {
            // The tree walk reads url/system/code as strings and throws on a number there; the
            // gateway only ever stores validated FHIR, where they are strings. Not a comparable case.
            return null;
        }
    }

    [Fact]
    public void Scan_AnyJsonTree_FindsWhatTheTreeInspectionFinds()
    {
        Object(4).Where(n => n is JsonObject).Select(n => n!.ToJsonString()).Sample(json =>
        {
            if (OverTree(json) is not { } expected) return true;
            var actual = LabelScanner.Scan(json);
            return actual.ResourceLabels.SequenceEqual(expected.ResourceLabels)
                && actual.ElementLabels.ToHashSet().SetEquals(expected.ElementLabels)
                && actual.ElementClasses.ToHashSet().SetEquals(expected.ElementClasses);
        }, iter: 5000);
    }

    [Fact]
    public void Scan_InlineLabelWithUrlAfterItsCoding_IsFound()
    {
        var json = $$$"""
            {"resourceType":"Task","meta":{"security":[{"code":"R","system":"{{{FhirUris.ActCode}}}"}]},
             "input":[{"extension":[{"valueCoding":{"code":"SUD","system":"{{{FhirUris.ActCode}}}"},"url":"{{{InlineLabels.ExtensionUrl}}}"},
                                    {"url":"{{{InlineLabels.ExtensionUrl}}}","valueCoding":{"system":"{{{FhirUris.DataClass}}}","code":"substance-use"}}]}]}
            """;

        var shape = LabelScanner.Scan(json);

        Assert.Equal(["R"], shape.ResourceLabels);
        Assert.Equal(["SUD"], shape.ElementLabels);
        Assert.Equal(["substance-use"], shape.ElementClasses);
    }

    [Fact]
    public void Scan_SecurityOutsideTheRootMeta_IsNotAResourceLabel()
    {
        var json = $$$"""{"resourceType":"Task","contained":[{"meta":{"security":[{"system":"{{{FhirUris.ActCode}}}","code":"R"}]}}],"note":{"security":[{"system":"{{{FhirUris.ActCode}}}","code":"V"}]}}""";

        Assert.Empty(LabelScanner.Scan(json).ResourceLabels);
    }
}
