using System.Text.Json.Nodes;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Shapes a stored resource (FHIR JSON) for one recipient: removes (never blanks) the elements
/// whose inline labels the consent does not cover, keeps only the minimum-necessary elements for
/// the referral source (<see cref="MinimumNecessaryShaper"/>), and marks what leaves: REDACTED when something was removed, NORDSCLCD
/// (no redisclosure, 42 CFR §2.32) when substance-use data is disclosed.
/// </summary>
public static class DisclosureShaper
{
    private const string ObservationValue = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static readonly HashSet<string> Part2Labels = ["ETH", "SUD"];

    public sealed record Shape(IReadOnlyCollection<string> ResourceLabels, IReadOnlyCollection<string> ElementLabels, IReadOnlyCollection<string> ElementClasses);

    /// <summary>The labels a stored resource carries: on the whole (meta.security) and on its elements.</summary>
    public static Shape Inspect(string json) => LabelScanner.Scan(json);

    /// <summary>The same over a parsed (perhaps already shaped) resource.</summary>
    public static Shape Inspect(JsonNode root)
    {
        var resourceLabels = (root["meta"]?["security"] as JsonArray ?? [])
            .Where(c => c?["system"]?.GetValue<string>() == FhirUris.ActCode)
            .Select(c => c?["code"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
        var elementLabels = new HashSet<string>();
        var elementClasses = new HashSet<string>();
        foreach (var coding in InlineCodings(root))
        {
            var system = coding["system"]?.GetValue<string>();
            var code = coding["code"]?.GetValue<string>();
            if (code is null) continue;
            if (system == FhirUris.ActCode) elementLabels.Add(code);
            else if (system == FhirUris.DataClass) elementClasses.Add(code);
        }
        return new Shape(resourceLabels, elementLabels, elementClasses);
    }

    /// <returns>The shaped JSON, and whether it carries Part 2 data (so the §2.32 notice must go with it).</returns>
    public static (string Json, bool Part2) Redact(string json, IReadOnlyCollection<string> labels, IReadOnlyCollection<string> classes)
    {
        // Nothing sensitive and nothing to remove: the stored JSON leaves as it is.
        if (labels.Count == 0 && classes.Count == 0 && !json.Contains("\"ETH\"", StringComparison.Ordinal) && !json.Contains("\"SUD\"", StringComparison.Ordinal))
        {
            return (json, false);
        }
        var root = JsonNode.Parse(json)!.AsObject();
        var removed = (labels.Count > 0 || classes.Count > 0) && Remove(root, labels, classes);
        return Finish(root, removed);
    }

    /// <summary>Keeps only the whitelisted elements (minimum necessary back to the referral source).</summary>
    public static (string Json, bool Part2) KeepMinimumNecessary(string json, MinimumNecessaryShaper shaper)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var removed = shaper.Shape(root);
        return Finish(root, removed);
    }

    private static (string, bool) Finish(JsonObject root, bool removed)
    {
        var part2 = Inspect(root) is var shape && shape.ResourceLabels.Concat(shape.ElementLabels).Any(Part2Labels.Contains);
        if (removed) AddMetaSecurity(root, ObservationValue, "REDACTED");
        if (part2) AddMetaSecurity(root, FhirUris.ActCode, "NORDSCLCD");
        return (root.ToJsonString(), part2);
    }

    private static bool Remove(JsonNode node, IReadOnlyCollection<string> labels, IReadOnlyCollection<string> classes)
    {
        var removed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var child = obj[key];
                    if (child is JsonObject o && Carries(o, labels, classes))
                    {
                        obj.Remove(key);
                        removed = true;
                    }
                    else if (child is not null)
                    {
                        removed |= Remove(child, labels, classes);
                        if (child is JsonArray { Count: 0 }) obj.Remove(key);
                    }
                }
                break;
            case JsonArray array:
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (array[i] is JsonObject o && Carries(o, labels, classes))
                    {
                        array.RemoveAt(i);
                        removed = true;
                    }
                    else if (array[i] is { } item)
                    {
                        removed |= Remove(item, labels, classes);
                    }
                }
                break;
        }
        return removed;
    }

    private static bool Carries(JsonObject element, IReadOnlyCollection<string> labels, IReadOnlyCollection<string> classes) =>
        (element["extension"] as JsonArray ?? [])
            .Where(e => e?["url"]?.GetValue<string>() == InlineLabels.ExtensionUrl)
            .Select(e => e!["valueCoding"])
            .Any(c => c?["code"]?.GetValue<string>() is { } code
                      && ((c["system"]?.GetValue<string>() == FhirUris.ActCode && labels.Contains(code))
                          || (c["system"]?.GetValue<string>() == FhirUris.DataClass && classes.Contains(code))));

    private static IEnumerable<JsonNode> InlineCodings(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var extension in obj["extension"] as JsonArray ?? [])
                {
                    if (extension?["url"]?.GetValue<string>() == InlineLabels.ExtensionUrl && extension["valueCoding"] is { } coding)
                        yield return coding;
                }
                foreach (var (_, child) in obj)
                {
                    if (child is null) continue;
                    foreach (var c in InlineCodings(child)) yield return c;
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is null) continue;
                    foreach (var c in InlineCodings(item)) yield return c;
                }
                break;
        }
    }

    private static void AddMetaSecurity(JsonObject root, string system, string code)
    {
        var meta = root["meta"] as JsonObject ?? (JsonObject)(root["meta"] = new JsonObject());
        var security = meta["security"] as JsonArray ?? (JsonArray)(meta["security"] = new JsonArray());
        if (!security.Any(c => c?["code"]?.GetValue<string>() == code))
        {
            security.Add(new JsonObject { ["system"] = system, ["code"] = code });
        }
    }
}
