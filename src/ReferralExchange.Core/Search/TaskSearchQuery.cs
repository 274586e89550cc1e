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
    public int Offset { get; init; }
}

/// <summary>One bound of a date search: the instant compared against, and whether it is inclusive.</summary>
public sealed record InstantBound(DateTimeOffset Instant, bool IsLower, bool Inclusive);

/// <summary>
/// A Task that matches the search and the caller's participation, before consent is asked: its
/// referral, its resource-level security labels and its focus. The service decides visibility per
/// candidate before counting, so totals and pages never include what consent hides.
/// </summary>
public sealed record TaskCandidate(string TaskId, string ReferralKey, IReadOnlyList<string> Labels, string FocusId, ReferralAccess Access);
