using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// Code membership and displays for the ValueSets in <c>profiles/</c>, for the rules that read
/// them (delivered-service codes, minimum necessary). A ValueSet is usable when every include
/// either lists its concepts or names a CodeSystem we also hold (content complete). Bindings on
/// incoming resources are the validator's (ADR 0016), not this index's.
/// </summary>
public sealed class ValueSetIndex
{
    private readonly Dictionary<string, HashSet<(string System, string Code)>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<(string System, string Code), string> _displays = [];

    public ValueSetIndex(IEnumerable<ValueSet> valueSets, IEnumerable<CodeSystem> codeSystems)
    {
        var sets = valueSets.ToList();
        var systems = codeSystems.Where(cs => cs.Url is not null).ToDictionary(cs => cs.Url!, StringComparer.Ordinal);
        // Displays come from our files only: what a client sends as display is free text.
        foreach (var cs in systems.Values)
        {
            foreach (var concept in FlattenConcepts(cs.Concept))
            {
                AddDisplay(cs.Url, concept.Code, concept.Display);
            }
        }
        foreach (var include in sets.SelectMany(vs => vs.Compose?.Include ?? []))
        {
            foreach (var concept in include.Concept)
            {
                AddDisplay(include.System, concept.Code, concept.Display);
            }
        }
        foreach (var vs in sets)
        {
            var members = Expand(vs, systems);
            if (members is not null && vs.Url is not null)
            {
                _members[vs.Url] = members;
            }
        }
    }

    public bool CanCheck(string valueSetUrl) => _members.ContainsKey(StripVersion(valueSetUrl));

    public bool Contains(string valueSetUrl, string? system, string? code)
    {
        if (code is null || !_members.TryGetValue(StripVersion(valueSetUrl), out var members))
        {
            return false;
        }
        return system is null
            ? members.Any(m => m.Code == code)
            : members.Contains((system, code));
    }

    /// <summary>The display our CodeSystem (or ValueSet) gives a code, or null when we hold none.</summary>
    public string? Display(string system, string code) => _displays.GetValueOrDefault((system, code));

    private void AddDisplay(string? system, string? code, string? display)
    {
        if (system is not null && code is not null && display is not null)
        {
            _displays.TryAdd((system, code), display);
        }
    }

    private static HashSet<(string, string)>? Expand(ValueSet vs, Dictionary<string, CodeSystem> systems)
    {
        var result = new HashSet<(string, string)>();
        foreach (var include in vs.Compose?.Include ?? [])
        {
            if (include.System is null)
            {
                return null;
            }
            if (include.Concept.Count > 0)
            {
                result.UnionWith(include.Concept.Where(c => c.Code is not null).Select(c => (include.System, c.Code!)));
            }
            else if (systems.TryGetValue(include.System, out var cs))
            {
                result.UnionWith(Flatten(cs.Concept).Select(code => (include.System, code)));
            }
            else
            {
                return null;
            }
        }
        return result;
    }

    private static IEnumerable<string> Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        FlattenConcepts(concepts).Select(c => c.Code).OfType<string>();

    private static IEnumerable<CodeSystem.ConceptDefinitionComponent> FlattenConcepts(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts) =>
        concepts.SelectMany(c => FlattenConcepts(c.Concept).Prepend(c));

    private static string StripVersion(string url) => url.Split('|')[0];
}
