using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>A parsed Task search (FHIR R4 Task search parameters, includes, plus the common ones and paging).</summary>
public sealed record TaskSearchQuery
{
    public CommonParameters Common { get; init; } = new();
    public string? OwnerId { get; init; }
    public bool? OwnerMissing { get; init; }
    public string? RequesterId { get; init; }
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public string? PatientId { get; init; }
    public string? FocusId { get; init; }
    /// <summary><c>_include=Task:focus</c>: the ServiceRequest each Task fulfils.</summary>
    public bool IncludeFocus { get; init; }
    /// <summary><c>_include=Task:patient</c>: the person the Task is for.</summary>
    public bool IncludePatient { get; init; }
    /// <summary><c>_include=Task:requester</c>: the referral source's Organization.</summary>
    public bool IncludeRequester { get; init; }
    /// <summary><c>_revinclude=Procedure:based-on</c>: the delivery records based on each Task's ServiceRequest.</summary>
    public bool RevIncludeProcedures { get; init; }

    /// <summary>Set by the service: the opened cursor the page continues after, if any.</summary>
    public SearchCursor? After { get; init; }
    /// <summary>Set by the service: the walk's snapshot; only Tasks last changed at or before it take part.</summary>
    public long SnapshotTicks { get; init; } = long.MaxValue;
}

/// <summary>One page of matches the caller may see, in order, whether more follow, and where the page's last row stood.</summary>
public sealed record TaskPage(IReadOnlyList<TaskCandidate> Items, bool HasMore, int? Total, SearchPosition? Last = null);

/// <summary>
/// A Task that matches the search and that the access index lets the caller see: its referral,
/// resource-level security labels, the references includes follow, its position in the order, and
/// its current version as stored (read by the page's own query, not by a second one).
/// </summary>
public sealed record TaskCandidate(string TaskId, string ReferralKey, IReadOnlyList<string> Labels, string FocusId, ReferralAccess Access, long LastUpdatedTicks,
    StoredResource Current)
{
    public string PatientId { get; init; } = Access.PatientId;
    public string RequesterId { get; init; } = Access.RequesterId;
}
