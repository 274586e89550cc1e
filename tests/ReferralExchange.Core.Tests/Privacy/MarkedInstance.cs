using System.Text.Json.Nodes;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Tests.Privacy;

/// <summary>
/// A resource in which every element R4 allows (enumerated from the Firely ModelInspector, not
/// hand-listed) is present, recursing into complex types a few levels, and every string-like
/// primitive holds a unique marker. Choice elements take their <c>variant</c>-th type, so a run
/// over all variants covers every type of every value[x]. Dates and numbers hold valid values:
/// the strict parser refuses text there, so they cannot carry free text.
/// </summary>
public sealed class MarkedInstance
{
    private static readonly ModelInspector Inspector = ModelInfo.ModelInspector;
    private static readonly HashSet<string> TextTypes =
        ["string", "markdown", "uri", "url", "canonical", "code", "id", "oid", "uuid", "base64Binary"];

    private readonly int _variant;
    private readonly int _maxDepth;
    private int _next;

    private MarkedInstance(int variant, int maxDepth)
    {
        _variant = variant;
        _maxDepth = maxDepth;
    }

    public JsonObject Json { get; private set; } = [];

    /// <summary>Marker → the element path it was put at, without indices (e.g. Task.output.valueString).</summary>
    public Dictionary<string, string> PathOf { get; } = [];

    /// <summary>How many types the widest choice element of the type has (the number of variants worth running).</summary>
    public static int ChoiceWidth(string resourceType) =>
        Complex(Inspector.FindClassMapping(resourceType)!, 0, 2).Max();

    public static MarkedInstance Build(string resourceType, int variant, int maxDepth = 3)
    {
        var instance = new MarkedInstance(variant, maxDepth);
        var mapping = Inspector.FindClassMapping(resourceType) ?? throw new ArgumentException(resourceType);
        instance.Json = instance.Fill(mapping, resourceType, 0);
        instance.Json["resourceType"] = resourceType;
        return instance;
    }

    private JsonObject Fill(ClassMapping mapping, string path, int depth)
    {
        var obj = new JsonObject();
        foreach (var property in mapping.PropertyMappings)
        {
            if (property.RepresentsValueElement)
            {
                continue;
            }
            var types = property.FhirType;
            var type = property.Choice == ChoiceType.None ? types[0] : types[_variant % types.Length];
            var typeMapping = Inspector.FindOrImportClassMapping(type);
            var name = property.Choice == ChoiceType.DatatypeChoice && typeMapping is not null
                ? property.Name + char.ToUpperInvariant(typeMapping.Name[0]) + typeMapping.Name[1..]
                : property.Name;
            var value = Value(typeMapping, $"{path}.{name}", depth + 1);
            if (value is null)
            {
                continue;
            }
            obj[name] = property.IsCollection ? new JsonArray(value) : value;
        }
        return obj;
    }

    private JsonNode? Value(ClassMapping? mapping, string path, int depth)
    {
        if (mapping is null || mapping.Name == "string" || TextTypes.Contains(mapping.Name))
        {
            var marker = Mark(path);
            return path.EndsWith(".reference", StringComparison.Ordinal) ? $"Patient/{marker}" : marker;
        }
        switch (mapping.Name)
        {
            case "xhtml":
                return $"<div xmlns=\"http://www.w3.org/1999/xhtml\">{Mark(path)}</div>";
            case "date":
                return "2026-01-01";
            case "dateTime" or "instant":
                return "2026-01-01T10:00:00Z";
            case "time":
                return "10:00:00";
            case "boolean":
                return true;
            case "integer" or "positiveInt" or "unsignedInt":
                return 1;
            case "decimal":
                return 1.5;
        }
        if (mapping.IsResource)
        {
            // contained: a resource of any type, carrying text the whitelist never names.
            return new JsonObject { ["resourceType"] = "Basic", ["id"] = Mark($"{path}.id"), ["code"] = new JsonObject { ["text"] = Mark($"{path}.code.text") } };
        }
        return depth > _maxDepth ? null : Fill(mapping, path, depth);
    }

    private string Mark(string path)
    {
        var marker = $"MRK{_next++:D5}X";
        PathOf[marker] = path;
        return marker;
    }

    private static IEnumerable<int> Complex(ClassMapping mapping, int depth, int maxDepth)
    {
        foreach (var property in mapping.PropertyMappings.Where(p => !p.RepresentsValueElement))
        {
            yield return property.FhirType.Length;
            if (depth < maxDepth && property.Choice == ChoiceType.None && Inspector.FindOrImportClassMapping(property.FhirType[0]) is { IsFhirPrimitive: false, IsResource: false } child)
            {
                foreach (var width in Complex(child, depth + 1, maxDepth)) yield return width;
            }
        }
    }
}
