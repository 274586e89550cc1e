using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Reads search parameters one by one: the common ones itself, the type's own through its parser.
/// A parameter nobody knows, or a value this server does not support (an <c>_include</c> it does
/// not offer), is ignored by default and refused under <c>Prefer: handling=strict</c> (FHIR R4
/// search.html#errors); a known parameter with a malformed value is always 400. Only what was
/// applied is remembered, so the self link shows what the result really is (search.html#self).
/// </summary>
public sealed class SearchParameterReader(bool strict, IReadOnlySet<SortKey> sorts)
{
    private readonly List<KeyValuePair<string, string>> _applied = [];
    private readonly List<string> _ids = [];
    private readonly List<InstantBound> _lastUpdated = [];
    private CommonParameters _common = new();

    public void Applied(string name, string value) => _applied.Add(new(name, value));

    /// <summary>Not understood or not offered: ignored, or 400 when the client asked for strict handling.</summary>
    public void Unsupported(string name, string message)
    {
        if (strict)
        {
            throw SearchValues.Bad(name, message);
        }
    }

    /// <summary>Handles a common parameter; false when the name is not one.</summary>
    public bool TryCommon(string name, string value)
    {
        switch (name)
        {
            case "_id":
                _ids.AddRange(SearchValues.Ids(name, value));
                break;
            case "_lastUpdated":
                _lastUpdated.AddRange(SearchValues.DateBounds(name, value));
                break;
            case "_sort":
                _common = _common with { Sort = SearchSort.Parse(value, sorts) };
                break;
            case "_count":
                _common = _common with { Count = Math.Min(SearchValues.Number(name, value, min: 0), CommonParameters.MaxCount) };
                break;
            case "_total":
                _common = _common with
                {
                    Total = value switch
                    {
                        "none" => TotalMode.None,
                        "estimate" => TotalMode.WhenCheap,
                        "accurate" => TotalMode.Accurate,
                        _ => throw SearchValues.Bad(name, "expected none, estimate or accurate"),
                    },
                };
                break;
            case "_summary":
                _common = _common with { Subset = _common.Subset with { Summary = ResultSubset.ParseSummary(value, allowCount: true) } };
                break;
            case "_elements":
                _common = _common with { Subset = _common.Subset with { Elements = ResultSubset.ParseElements(value) } };
                break;
            case "_cursor":
                // The page position is not part of the search: links add their own.
                _common = _common with { CursorToken = value };
                return true;
            case "_format":
                // Negotiated (and refused with 406) by the host before the search runs.
                break;
            case "_pretty":
                // Whitespace is not offered; the answer is the same document either way.
                return true;
            default:
                return false;
        }
        Applied(name, value);
        return true;
    }

    public CommonParameters Common()
    {
        var common = _common with { Ids = _ids, LastUpdated = _lastUpdated, Applied = _applied };
        // _summary=count (search.html#summary): the count of matches and no entries.
        return common.Subset.Summary == SummaryMode.Count ? common with { Total = TotalMode.Accurate, Count = 0 } : common;
    }
}
