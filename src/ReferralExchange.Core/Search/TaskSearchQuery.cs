using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>A parsed Task search (FHIR R4 Task search parameters, plus paging).</summary>
public sealed record TaskSearchQuery
{
    public string? OwnerId { get; init; }
    public bool? OwnerMissing { get; init; }
    public string? RequesterId { get; init; }
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public string? PatientId { get; init; }
    public string? FocusId { get; init; }
    public IReadOnlyList<InstantBound> LastUpdated { get; init; } = [];
    public bool IncludeFocus { get; init; }
    public int Count { get; init; } = TaskSearchParser.DefaultCount;
    /// <summary>Keyset paging: the page starts after this Task in (lastUpdated, id) order.</summary>
    public SearchCursor? After { get; init; }
    public TotalMode Total { get; init; } = TotalMode.WhenCheap;
}

/// <summary>FHIR R4 §3.1.1.5.7 <c>_total</c>: none, estimate or accurate.</summary>
public enum TotalMode
{
    None,
    /// <summary>The default and <c>estimate</c>: the total is given when the first page holds every match (it costs nothing then).</summary>
    WhenCheap,
    /// <summary><c>_total=accurate</c>: counted in the database over every match (costs a scan of the matches).</summary>
    Accurate,
}

/// <summary>A position in the (lastUpdated, Task id) order; a page of a keyset search starts after it.</summary>
public sealed record SearchCursor(long LastUpdatedTicks, string TaskId);

/// <summary>One page of matches the caller may see, in order, and whether more follow.</summary>
public sealed record TaskPage(IReadOnlyList<TaskCandidate> Items, bool HasMore, int? Total);

/// <summary>One bound of a date search: the instant compared against, and whether it is inclusive.</summary>
public sealed record InstantBound(DateTimeOffset Instant, bool IsLower, bool Inclusive);

/// <summary>
/// A Task that matches the search and that the access index lets the caller see: its referral,
/// resource-level security labels, focus and position (for the next page's cursor).
/// </summary>
public sealed record TaskCandidate(string TaskId, string ReferralKey, IReadOnlyList<string> Labels, string FocusId, ReferralAccess Access, long LastUpdatedTicks);
