using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// Applies <c>_summary</c> / <c>_elements</c> to a resource's JSON with the SDK's own serialization
/// filters (which know each element's isSummary and minimum cardinality from the R4 definitions),
/// and marks the result with the SUBSETTED tag (FHIR R4 search.html#summary: "the server SHOULD
/// mark the resource with the tag SUBSETTED" so it is never taken for the whole).
/// </summary>
public static class ResourceSubsetter
{
    public const string ObservationValueSystem = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public const string Subsetted = "SUBSETTED";

    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public static string Apply(string json, ResultSubset subset)
    {
        if (!subset.IsSubset || subset.Summary == SummaryMode.Count)
        {
            return json;
        }
        var resource = FhirJson.ParseStored(json);
        Func<SerializationFilter> filter = subset.Elements.Count > 0
            // id and meta stay: the result must still say what it is a version of, and carry the tag.
            ? SerializationFilter.ForElementsFactory([.. subset.Elements, "id", "meta"])
            : subset.Summary switch
            {
                SummaryMode.True => SerializationFilter.ForSummary,
                SummaryMode.Text => SerializationFilter.ForText,
                _ => SerializationFilter.ForData,
            };
        return MarkSubsetted(Serializer.SerializeToString(resource, false, filter));
    }

    /// <summary>
    /// Exactly one SUBSETTED tag, in the terminology.hl7.org system (the SDK's summary filters add
    /// one in the pre-R4 hl7.org/fhir/v3 system).
    /// </summary>
    private static string MarkSubsetted(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (node["meta"] is not JsonObject meta)
        {
            meta = new JsonObject();
            node["meta"] = meta;
        }
        if (meta["tag"] is not JsonArray tags)
        {
            tags = new JsonArray();
            meta["tag"] = tags;
        }
        foreach (var old in tags.Where(t => t?["code"]?.GetValue<string>() == Subsetted).ToList())
        {
            tags.Remove(old);
        }
        tags.Add(new JsonObject { ["system"] = ObservationValueSystem, ["code"] = Subsetted, ["display"] = "subsetted" });
        return node.ToJsonString();
    }
}
