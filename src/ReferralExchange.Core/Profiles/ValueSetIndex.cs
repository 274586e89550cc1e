using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// Code membership for the ValueSets in <c>profiles/</c>. A ValueSet is enforceable when every
/// include either lists its concepts or names a CodeSystem we also hold (content complete);
/// bindings to ValueSets we cannot expand are not checked here (the SDK already checks the
/// core required bindings it models as enums).
/// </summary>
public sealed class ValueSetIndex
{
    private readonly Dictionary<string, HashSet<(string System, string Code)>> _members = new(StringComparer.Ordinal);

    public ValueSetIndex(IEnumerable<ValueSet> valueSets, IEnumerable<CodeSystem> codeSystems)
    {
        var systems = codeSystems.Where(cs => cs.Url is not null).ToDictionary(cs => cs.Url!, StringComparer.Ordinal);
        foreach (var vs in valueSets)
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

    public IReadOnlyCollection<(string System, string Code)> Members(string valueSetUrl) =>
        _members.TryGetValue(StripVersion(valueSetUrl), out var m) ? m : [];

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
        concepts.SelectMany(c => c.Code is null ? Flatten(c.Concept) : Flatten(c.Concept).Prepend(c.Code));

    private static string StripVersion(string url) => url.Split('|')[0];
}
