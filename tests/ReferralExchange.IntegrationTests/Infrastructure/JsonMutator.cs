using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// Breaks a valid JSON body the ways a buggy or hostile client would (issue 13 §3): properties
/// deleted, duplicated, renamed (empty names too), values of the wrong type, wrapped in arrays,
/// nested deep, strings made huge, the text truncated, bytes that are not UTF-8.
/// </summary>
public static class JsonMutator
{
    public enum Op { Delete, Duplicate, Rename, SwapType, WrapInArray, Unwrap, DeepNest, HugeString, Truncate, InvalidUtf8 }

    /// <summary>One mutation: what, at which node (an index into the body's nodes, modulo their count), and a variant.</summary>
    public sealed record Mutation(Op Op, int Target, int Variant)
    {
        public override string ToString() => $"{Op}@{Target}/{Variant}";
    }

    public static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Enum<Op>(), Gen.Int[0, 10_000], Gen.Int[0, 10_000], (op, target, variant) => new Mutation(op, target, variant)).Array[1, 3];

    private static readonly string[] Names =
        ["", "resourceType", "contained", "extension", "modifierExtension", "id", "meta", "_status", "status", "entry", "resource",
         "fhir_comments", "valueString", "value[x]", "\u0000", "💥", "a.b", "$this", "__proto__"];

    private static readonly Func<JsonNode?>[] Values =
    [
        () => 1, () => -1e300, () => 12345678901234567890m, () => "x", () => "", () => true, () => null,
        () => new JsonObject(), () => new JsonArray(), () => new JsonArray(1, "a", null),
        () => new JsonObject { ["resourceType"] = "Patient" }, () => new JsonObject { [""] = 1 },
        () => "2026-13-45T99:99:99Z", () => "\uD800", () => new JsonArray(new JsonObject()),
    ];

    /// <summary>The mutated body as the bytes sent on the wire.</summary>
    public static byte[] Apply(JsonNode valid, IReadOnlyList<Mutation> mutations)
    {
        var root = valid.DeepClone();
        var duplicates = new List<(string Marker, string Name)>();
        var textOps = new List<Mutation>();
        foreach (var m in mutations)
        {
            if (m.Op is Op.Truncate or Op.InvalidUtf8)
            {
                textOps.Add(m);
                continue;
            }
            root = ApplyToTree(root, m, duplicates);
        }

        var text = root?.ToJsonString() ?? "null";
        // JsonObject cannot hold two equal names; a marker property becomes the duplicate in the text.
        foreach (var (marker, replacement) in duplicates)
        {
            text = marker.StartsWith('"') ? text.Replace(marker, replacement)
                : text.Replace($"\"{marker}\"", System.Text.Json.JsonSerializer.Serialize(replacement));
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        foreach (var m in textOps)
        {
            bytes = m.Op == Op.Truncate
                ? bytes[..(bytes.Length == 0 ? 0 : m.Variant % bytes.Length)]
                : [.. bytes[..(m.Target % (bytes.Length + 1))], .. InvalidSequences[m.Variant % InvalidSequences.Length], .. bytes[(m.Target % (bytes.Length + 1))..]];
        }
        return bytes;
    }

    private static readonly byte[][] InvalidSequences = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80]];

    private static JsonNode? ApplyToTree(JsonNode? root, Mutation m, List<(string, string)> duplicates)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0)
        {
            return root;
        }
        var node = nodes[m.Target % nodes.Count];
        var parent = node.Parent;
        switch (m.Op)
        {
            case Op.Delete when parent is JsonObject o:
                o.Remove(node.GetPropertyName());
                break;
            case Op.Delete when parent is JsonArray a:
                a.Remove(node);
                break;
            case Op.Duplicate when parent is JsonObject o:
                var marker = $"__dup{duplicates.Count}__";
                o[marker] = Variant(m.Variant) ?? node.DeepClone();
                duplicates.Add((marker, node.GetPropertyName()));
                break;
            case Op.Duplicate when parent is JsonArray a:
                a.Add(node.DeepClone());
                break;
            case Op.Rename when parent is JsonObject o:
                var oldName = node.GetPropertyName();
                var newName = Names[m.Variant % Names.Length];
                o.Remove(oldName);
                if (!o.ContainsKey(newName))
                {
                    o[newName] = node;
                }
                break;
            case Op.SwapType:
                return Replace(root, node, Values[m.Variant % Values.Length]());
            case Op.WrapInArray:
                return Replace(root, node, new JsonArray(node.DeepClone()));
            case Op.Unwrap when node is JsonArray { Count: > 0 } array:
                return Replace(root, node, array[0]?.DeepClone());
            case Op.DeepNest:
                // Deeper than JsonNode can write: a marker here, the nesting spliced into the text.
                var nest = $"__nest{duplicates.Count}__";
                duplicates.Add(($"\"{nest}\"", Nest(m.Variant % 2 == 0, 50 + m.Variant % 2000)));
                return Replace(root, node, nest);
            case Op.HugeString:
                return Replace(root, node, new string('x', 1_000 + m.Variant * 30));
        }
        return root;
    }

    private static JsonNode? Variant(int v) => v % 3 == 0 ? Values[v % Values.Length]() : null;

    private static string Nest(bool arrays, int depth) => arrays
        ? new string('[', depth) + "1" + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"extension\":", depth)) + "1" + new string('}', depth);

    private static JsonNode? Replace(JsonNode? root, JsonNode target, JsonNode? replacement)
    {
        switch (target.Parent)
        {
            case null:
                return replacement;
            case JsonObject o:
                o[target.GetPropertyName()] = replacement;
                break;
            case JsonArray a:
                a[a.IndexOf(target)] = replacement;
                break;
        }
        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }
        into.Add(node);
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o.ToList()) Collect(child, into);
                break;
            case JsonArray a:
                foreach (var child in a.ToList()) Collect(child, into);
                break;
        }
    }
}
