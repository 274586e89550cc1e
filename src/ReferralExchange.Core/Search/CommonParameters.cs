using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Search;

/// <summary>
/// The parameters every search here takes (FHIR R4 search.html#all and #special: <c>_id</c>,
/// <c>_lastUpdated</c>, <c>_sort</c>, <c>_count</c>, <c>_total</c>, <c>_summary</c>, <c>_elements</c>),
/// the keyset position <c>_cursor</c> of next links, and the parameters the parse applied, in the
/// order given: the self link shows those and nothing else.
/// </summary>
public sealed record CommonParameters
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;

    public IReadOnlyList<string> Ids { get; init; } = [];
    public IReadOnlyList<InstantBound> LastUpdated { get; init; } = [];
    public SearchSort Sort { get; init; } = SearchSort.Default;
    public int Count { get; init; } = DefaultCount;
    public TotalMode Total { get; init; } = TotalMode.WhenCheap;
    public ResultSubset Subset { get; init; } = ResultSubset.None;
    /// <summary>The <c>_cursor</c> as given; opened (and its signature checked) once the search's binding is known.</summary>
    public string? CursorToken { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Applied { get; init; } = [];
}

/// <summary>FHIR R4 search.html#total <c>_total</c>: none, estimate or accurate.</summary>
public enum TotalMode
{
    None,
    /// <summary>The default and <c>estimate</c>: the total is given when the first page holds every match (it costs nothing then).</summary>
    WhenCheap,
    /// <summary><c>_total=accurate</c> (and <c>_summary=count</c>): counted in the database over every match (costs a scan of the matches).</summary>
    Accurate,
}

/// <summary>One bound of a date search: the instant compared against, and whether it is inclusive.</summary>
public sealed record InstantBound(DateTimeOffset Instant, bool IsLower, bool Inclusive);
