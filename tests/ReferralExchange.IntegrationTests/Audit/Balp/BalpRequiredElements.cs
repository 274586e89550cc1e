using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Audit.Balp;

/// <summary>
/// Checks an AuditEvent (as JSON) against the BALP profile it names, using the required-element
/// rules transcribed from the IG in <c>balp-required-elements.json</c>: fixed codes, agent and
/// entity slices (discriminated by type, open), their cardinalities, required and forbidden
/// elements, fixed requestor, allowed roles, base64 query. A profile's rules add to its parent's.
/// </summary>
public static class BalpRequiredElements
{
    private static readonly JsonObject Rules = Load();

    public static string Canonical => Rules["canonical"]!.GetValue<string>();

    public static IReadOnlyList<string> ProfileIds => Rules["profiles"]!.AsObject().Select(p => p.Key).ToList();

    /// <summary>Every rule the event breaks, as readable sentences; empty when it conforms.</summary>
    public static IReadOnlyList<string> Violations(JsonNode audit, string profileId)
    {
        var rules = Resolve(profileId);
        var broken = new List<string>();
        void Expect(bool holds, string rule) { if (!holds) broken.Add($"{profileId}: {rule}"); }

        Expect(HasCoding(audit["type"], rules.Type), $"type = {rules.Type}");
        Expect(audit["subtype"]?.AsArray().Any(c => rules.Subtypes.Contains(Code(c))) == true, $"a subtype from {string.Join(", ", rules.Subtypes)}");
        Expect(audit["action"]?.GetValue<string>() == rules.Action, $"action = {rules.Action}");
        Expect(audit["outcome"]?.GetValue<string>() == rules.Outcome, $"outcome = {rules.Outcome}");
        foreach (var path in rules.Required)
        {
            Expect(At(audit, path) is not null, $"{path} present");
        }
        var agents = audit["agent"]?.AsArray().Select(a => a!).ToList() ?? [];
        Expect(agents.Count >= rules.AgentMin, $"at least {rules.AgentMin} agents");
        CheckSlices("agent", agents, rules.Agents, node => node["type"]?["coding"]?.AsArray().Select(Code) ?? [], Expect);
        var entities = audit["entity"]?.AsArray().Select(e => e!).ToList() ?? [];
        Expect(entities.Count >= rules.EntityMin, $"at least {rules.EntityMin} entities");
        CheckSlices("entity", entities, rules.Entities, node => node["type"] is { } type ? [Code(type)] : [], Expect);
        return broken;
    }

    private static void CheckSlices(string element, List<JsonNode> items, IReadOnlyList<JsonObject> slices, Func<JsonNode, IEnumerable<string>> codesOf, Action<bool, string> expect)
    {
        foreach (var slice in slices)
        {
            var name = $"{element}[{slice["slice"]!.GetValue<string>()}]";
            var types = slice["types"]!.AsArray().Select(t => t!.GetValue<string>()).ToHashSet();
            var matching = items.Where(i => codesOf(i).Any(types.Contains)).ToList();
            var min = slice["min"]!.GetValue<int>();
            var max = slice["max"]!.GetValue<int>();
            expect(matching.Count >= min && matching.Count <= max, $"{name} {min}..{max} (found {matching.Count})");
            foreach (var item in matching)
            {
                foreach (var path in Strings(slice["required"]))
                {
                    expect(At(item, path) is not null, $"{name}.{path} present");
                }
                foreach (var path in Strings(slice["forbidden"]))
                {
                    expect(At(item, path) is null, $"{name}.{path} absent (0..0)");
                }
                if (slice["requestor"] is { } requestor)
                {
                    expect(item["requestor"]?.GetValue<bool>() == requestor.GetValue<bool>(), $"{name}.requestor = {requestor}");
                }
                if (slice["roles"] is { } roles && item["role"] is { } role)
                {
                    expect(Strings(roles).Contains(Code(role)), $"{name}.role from {string.Join(", ", Strings(roles))}");
                }
                if (slice["whatType"] is { } whatType)
                {
                    expect(item["what"]?["reference"]?.GetValue<string>().StartsWith(whatType.GetValue<string>() + "/", StringComparison.Ordinal) == true, $"{name}.what only Reference({whatType})");
                }
                if (slice["queryIsBase64"] is not null && item["query"] is { } query)
                {
                    expect(IsBase64(query.GetValue<string>()), $"{name}.query is base64Binary");
                }
            }
        }
    }

    private sealed record Resolved(string Type, IReadOnlyList<string> Subtypes, string Action, string Outcome, IReadOnlyList<string> Required,
        int AgentMin, IReadOnlyList<JsonObject> Agents, int EntityMin, IReadOnlyList<JsonObject> Entities);

    private static Resolved Resolve(string profileId)
    {
        var profile = Rules["profiles"]![profileId]?.AsObject() ?? throw new ArgumentException($"no rules for {profileId}");
        var parent = profile["parent"] is { } p ? Resolve(p.GetValue<string>()) : null;
        return new Resolved(
            profile["type"]?.GetValue<string>() ?? parent!.Type,
            profile["subtype"] is { } s ? Strings(s) : parent!.Subtypes,
            profile["action"]?.GetValue<string>() ?? parent!.Action,
            profile["outcome"]?.GetValue<string>() ?? parent!.Outcome,
            [.. parent?.Required ?? [], .. Strings(profile["required"])],
            profile["agentMin"]?.GetValue<int>() ?? parent!.AgentMin,
            [.. parent?.Agents ?? [], .. Objects(profile["agents"])],
            profile["entityMin"]?.GetValue<int>() ?? parent!.EntityMin,
            [.. parent?.Entities ?? [], .. Objects(profile["entities"])]);
    }

    private static JsonNode? At(JsonNode node, string path) =>
        path.Split('.').Aggregate<string, JsonNode?>(node, (current, step) => current is JsonArray array ? array.FirstOrDefault()?[step] : current?[step]);

    private static bool HasCoding(JsonNode? coding, string expected) => coding is not null && Code(coding) == expected;

    private static string Code(JsonNode? coding) => $"{coding?["system"]?.GetValue<string>()}|{coding?["code"]?.GetValue<string>()}";

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    private static string[] Strings(JsonNode? node) => node?.AsArray().Select(v => v!.GetValue<string>()).ToArray() ?? [];

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => node?.AsArray().Select(v => v!.AsObject()) ?? [];

    private static JsonObject Load()
    {
        using var stream = typeof(BalpRequiredElements).Assembly.GetManifestResourceStream("balp-required-elements.json")
            ?? throw new InvalidOperationException("balp-required-elements.json is not embedded");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
