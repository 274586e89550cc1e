using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ReferralExchange.Core.Profiles;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Minimum necessary back to the referral source as a whitelist (docs/domain.md; HIPAA 45 CFR
/// §164.502(b)): of a Task or Procedure, only the element paths of <c>minimum-necessary.json</c>
/// leave; free text anywhere else (statusReason.text, output.valueString, note, narrative,
/// displays, extensions) is removed, never blanked. Works on the stored JSON, so an element the
/// rules do not know is removed too: the default is to withhold.
/// </summary>
public sealed partial class MinimumNecessaryShaper
{
    /// <summary>FHIR R4 data-absent-reason, code <c>masked</c>: withheld for privacy.</summary>
    public const string DataAbsentReasonUrl = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    private readonly Dictionary<string, CompiledRule> _rules;
    private readonly ValueSetIndex _valueSets;

    public MinimumNecessaryShaper(MinimumNecessaryRules rules, ProfilePackage package)
    {
        _valueSets = package.ValueSets;
        UnlessClass = rules.UnlessClass;
        _rules = rules.Resources.ToDictionary(r => r.Key, r => new CompiledRule(r.Value));
        var unknown = rules.Resources.Values.SelectMany(r => r.Coded.Values).SelectMany(v => v).Where(vs => !_valueSets.CanCheck(vs)).ToList();
        if (unknown.Count > 0)
        {
            // A coded path whose ValueSet we cannot expand would silently withhold every coding: fail at start instead.
            throw new InvalidOperationException($"minimum-necessary.json names ValueSets not in profiles/: {string.Join(", ", unknown)}");
        }
    }

    /// <summary>The consent class that, granted to the source, lifts the whitelist.</summary>
    public string UnlessClass { get; }

    /// <summary>Whether the source's view of this type is shaped at all (types the source writes itself are not).</summary>
    public bool Applies(string resourceType) => _rules.ContainsKey(resourceType);

    /// <summary>Shapes in place; returns whether anything was removed or rewritten (so REDACTED must be marked).</summary>
    public bool Shape(JsonObject root)
    {
        var type = root["resourceType"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? root["resourceType"]!.GetValue<string>() : null;
        if (type is null || !_rules.TryGetValue(type, out var rule))
        {
            throw new ArgumentException("Not a resource type the minimum-necessary rules cover", nameof(root));
        }
        return ShapeObject(root, type, rule, inArray: false) is var (removed, _) && removed;
    }

    /// <summary>Returns (removed, withholdWhole): the object's content is withheld entirely when an item lost its value[x].</summary>
    private (bool Removed, bool WithholdWhole) ShapeObject(JsonObject obj, string path, CompiledRule rule, bool inArray)
    {
        var removed = false;
        var hadValue = obj.Any(p => IsValueChoice(p.Key));
        var withheld = new List<string>();
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            var keep = !key.StartsWith('_') && ShapeChild(obj, key, $"{path}.{key}", rule, ref removed);
            if (!keep)
            {
                obj.Remove(key);
                withheld.Add(key);
                removed = true;
            }
        }
        foreach (var key in withheld.Where(k => rule.Masked.Contains($"{path}.{k}")))
        {
            // R4 requires it (1..1) in an item that stays: say it was withheld rather than send an invalid resource.
            obj[key] = new JsonObject { ["extension"] = new JsonArray(new JsonObject { ["url"] = DataAbsentReasonUrl, ["valueCode"] = "masked" }) };
        }
        return (removed, inArray && hadValue && !obj.Any(p => IsValueChoice(p.Key)));
    }

    /// <returns>Whether the child stays (possibly shaped).</returns>
    private bool ShapeChild(JsonObject parent, string key, string path, CompiledRule rule, ref bool removed)
    {
        var value = parent[key];
        if (rule.Coded.TryGetValue(path, out var valueSets))
        {
            var before = value?.ToJsonString();
            var kept = ShapeCodings(value, valueSets);
            removed |= kept?.ToJsonString() != before;
            if (kept is null) return false;
            parent[key] = kept;
            return true;
        }
        if (rule.Allow.Contains(path) && IsPrimitive(value))
        {
            // A literal reference is kept only as Type/id: an absolute URL or free-form string can carry text.
            return !path.EndsWith(".reference", StringComparison.Ordinal) || RelativeReference().IsMatch(value!.GetValue<string>());
        }
        if (!rule.Prefixes.Contains(path))
        {
            return false;
        }
        switch (value)
        {
            case JsonObject child:
                var (childRemoved, withhold) = ShapeObject(child, path, rule, inArray: false);
                removed |= childRemoved;
                return !withhold && child.Count > 0;
            case JsonArray items:
                for (var i = items.Count - 1; i >= 0; i--)
                {
                    if (items[i] is JsonObject item && ShapeObject(item, path, rule, inArray: true) is var (itemRemoved, withholdItem))
                    {
                        removed |= itemRemoved;
                        if (!withholdItem && item.Count > 0) continue;
                    }
                    items.RemoveAt(i);
                    removed = true;
                }
                return items.Count > 0;
            default:
                return false;
        }
    }

    /// <summary>A Coding leaves as system + code only when a listed ValueSet holds it, with our CodeSystem's display.</summary>
    private JsonNode? ShapeCodings(JsonNode? value, string[] valueSets)
    {
        JsonObject? One(JsonNode? node)
        {
            var system = Text(node?["system"]);
            var code = Text(node?["code"]);
            if (system is null || code is null || !valueSets.Any(vs => _valueSets.Contains(vs, system, code)))
            {
                return null;
            }
            var coding = new JsonObject { ["system"] = system, ["code"] = code };
            if (_valueSets.Display(system, code) is { } display) coding["display"] = display;
            return coding;
        }
        if (value is JsonArray array)
        {
            var kept = new JsonArray(array.Select(One).OfType<JsonNode>().ToArray());
            return kept.Count > 0 ? kept : null;
        }
        return One(value);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool IsPrimitive(JsonNode? node) => node is JsonValue
        || (node is JsonArray a && a.All(i => i is JsonValue));

    private static bool IsValueChoice(string key) => key.Length > 5 && key.StartsWith("value", StringComparison.Ordinal) && char.IsAsciiLetterUpper(key[5]);

    [GeneratedRegex(@"^[A-Z][A-Za-z]{1,63}/[A-Za-z0-9\-\.]{1,64}(/_history/[A-Za-z0-9\-\.]{1,64})?$")]
    private static partial Regex RelativeReference();

    private sealed class CompiledRule
    {
        public CompiledRule(MinimumNecessaryRules.ResourceRule rule)
        {
            Allow = rule.Allow.ToHashSet(StringComparer.Ordinal);
            Coded = rule.Coded;
            Masked = rule.Masked.ToHashSet(StringComparer.Ordinal);
            // Every proper prefix of an allowed path: objects on the way to a kept element.
            Prefixes = rule.Allow
                .SelectMany(p => Enumerable.Range(1, p.Count(c => c == '.')).Select(n => string.Join('.', p.Split('.').Take(n + 1))))
                .Where(p => !Allow.Contains(p) || rule.Allow.Any(a => a.StartsWith(p + ".", StringComparison.Ordinal)))
                .ToHashSet(StringComparer.Ordinal);
        }

        public HashSet<string> Allow { get; }
        public Dictionary<string, string[]> Coded { get; }
        public HashSet<string> Masked { get; }
        public HashSet<string> Prefixes { get; }
    }
}
