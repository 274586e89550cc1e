using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Reading;

/// <summary>
/// The parameters of a history interaction (FHIR R4 http.html#history): <c>_since</c> (versions
/// created at or after the instant), <c>_count</c> (page size) and the <c>_cursor</c> of next links.
/// Others are ignored, or 400 under <c>Prefer: handling=strict</c>.
/// </summary>
public sealed record HistoryParameters(DateTimeOffset? Since, int Count, string? CursorToken, IReadOnlyList<KeyValuePair<string, string>> Applied)
{
    public static HistoryParameters Parse(IEnumerable<KeyValuePair<string, string>> parameters, bool strict)
    {
        DateTimeOffset? since = null;
        var count = CommonParameters.MaxCount;
        string? cursor = null;
        var applied = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "_since":
                    since = SearchValues.Instant(name, value);
                    break;
                case "_count":
                    count = Math.Min(SearchValues.Number(name, value, min: 0), CommonParameters.MaxCount);
                    break;
                case "_cursor":
                    cursor = value;
                    continue;
                case "_format":
                    break;
                case "_pretty":
                    continue;
                default:
                    if (strict)
                    {
                        throw SearchValues.Bad(name, $"'{name}' is not a history parameter offered here (_since, _count)");
                    }
                    continue;
            }
            applied.Add(new(name, value));
        }
        return new HistoryParameters(since, count, cursor, applied);
    }

    /// <summary>The order of every history here: newest first.</summary>
    public static readonly SearchSort NewestFirst = new(SortKey.LastUpdated, Descending: true);
}
