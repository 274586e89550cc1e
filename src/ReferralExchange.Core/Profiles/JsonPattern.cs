using System.Text.Json.Nodes;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// FHIR pattern[x] and fixed[x] semantics on JSON trees (R4 ElementDefinition.pattern[x]):
/// a pattern requires every property it has to be present with a matching value, and each array
/// item of the pattern to match some item of the instance; fixed requires exact equality.
/// </summary>
public static class JsonPattern
{
    public static bool Matches(JsonNode? instance, JsonNode? pattern) => (instance, pattern) switch
    {
        (_, null) => true,
        (null, _) => false,
        (JsonObject i, JsonObject p) => p.All(kv => i.TryGetPropertyValue(kv.Key, out var v) && Matches(v, kv.Value)),
        (JsonArray i, JsonArray p) => p.All(pi => i.Any(ii => Matches(ii, pi))),
        (JsonValue i, JsonValue p) => i.ToJsonString() == p.ToJsonString(),
        _ => false,
    };

    public static bool IsExactly(JsonNode? instance, JsonNode? fixedValue) =>
        JsonNode.DeepEquals(instance, fixedValue);
}
