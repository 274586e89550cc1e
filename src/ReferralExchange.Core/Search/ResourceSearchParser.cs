namespace ReferralExchange.Core.Search;

/// <summary>
/// Parses a search on ServiceRequest, Patient, Consent or Procedure: the common parameters
/// (<c>_id</c>, <c>_lastUpdated</c>, <c>_sort=[-]_lastUpdated</c>, <c>_count</c>, <c>_total</c>,
/// <c>_summary</c>, <c>_elements</c>) and, on ServiceRequest, <c>_revinclude=Procedure:based-on</c>.
/// </summary>
public static class ResourceSearchParser
{
    public static readonly IReadOnlySet<string> SearchableTypes = new SortedSet<string>(StringComparer.Ordinal) { "Consent", "Patient", "Procedure", "ServiceRequest" };

    public static ResourceSearchQuery Parse(string type, IEnumerable<KeyValuePair<string, string>> parameters, bool strict = false)
    {
        var reader = new SearchParameterReader(strict, SearchSort.LastUpdatedOnly);
        var query = new ResourceSearchQuery(type);
        foreach (var (name, value) in parameters)
        {
            if (reader.TryCommon(name, value))
            {
                continue;
            }
            if (name == "_revinclude" && value == "Procedure:based-on" && type == "ServiceRequest")
            {
                query = query with { RevIncludeProcedures = true };
                reader.Applied(name, value);
                continue;
            }
            reader.Unsupported(name, name is "_include" or "_revinclude"
                ? $"{name}={value} is not offered on {type}"
                : $"search parameter '{name}' is not supported for {type}");
        }
        return query with { Common = reader.Common() };
    }
}
