using ReferralExchange.Core.Audit;

namespace ReferralExchange.Core.Search;

/// <summary>
/// The self and next links of a search or history page (FHIR R4 search.html#self, http.html#paging)
/// and what a cursor is bound to.
/// </summary>
public static class SearchLinks
{
    /// <summary>The applied parameters as a query string, in the order given (the self link; search.html#self).</summary>
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> applied) =>
        string.Join('&', applied.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    public static string Link(string baseUrl, string path, string canonical, string? cursor)
    {
        var position = cursor is null ? null : "_cursor=" + Uri.EscapeDataString(cursor);
        var query = string.Join('&', new[] { canonical, position }.Where(p => !string.IsNullOrEmpty(p)));
        return query.Length == 0 ? $"{baseUrl}/{path}" : $"{baseUrl}/{path}?{query}";
    }

    /// <summary>
    /// What a cursor is issued for: this caller, this interaction path and these parameters (in a
    /// canonical order, so reordering a link's parameters keeps it valid). A cursor of another
    /// search or another caller is foreign and refused.
    /// </summary>
    public static string Binding(Caller who, string path, IEnumerable<KeyValuePair<string, string>> applied) =>
        string.Join('\n', new[] { who.Partner.Id, who.PurposeOfUse ?? string.Empty, path }
            .Concat(applied.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")));
}
