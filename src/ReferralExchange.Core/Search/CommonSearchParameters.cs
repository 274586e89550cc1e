namespace ReferralExchange.Core.Search;

/// <summary>
/// The parameters every search here takes (<see cref="SearchParameterReader"/>), as the
/// CapabilityStatement declares them (FHIR R4 search.html#all, #sort, #count, #total, #summary,
/// #elements). The keyset position of next links (<c>_cursor</c>) is not declared: it is only
/// valid inside the links the server wrote, never as a search a client composes.
/// </summary>
public static class CommonSearchParameters
{
    private const string Spec = "http://hl7.org/fhir/SearchParameter/";

    public static IReadOnlyList<SearchParameterDefinition> With(IReadOnlySet<SortKey> sorts) =>
    [
        new("_id", "token", Spec + "Resource-id", "One or more ids, comma-separated"),
        new("_lastUpdated", "date", Spec + "Resource-lastUpdated", "eq, gt, ge, lt, le; repeat for a range"),
        new("_sort", "string", null, "One of " + string.Join(", ", sorts.Select(k => new SearchSort(k, false).Parameter)) + ", with - for descending; ties by _lastUpdated, then id"),
        new("_count", "number", null, $"Page size, at most {CommonParameters.MaxCount} (default {CommonParameters.DefaultCount})"),
        new("_total", "token", null, "none | estimate | accurate (FHIR R4 search.html#total). Counted only for accurate; otherwise given when the first page holds every match."),
        new("_summary", "token", null, "true | text | data | count | false; a subset is marked SUBSETTED"),
        new("_elements", "string", null, "Comma-separated element names; a subset is marked SUBSETTED"),
    ];
}
