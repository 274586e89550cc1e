namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>The searchable and sortable elements of each Task's current version (owner, requester, status, patient, focus, _lastUpdated, authored-on, priority).</summary>
public sealed class TaskIndexRow
{
    public required string TaskId { get; set; }
    public required string ReferralKey { get; set; }
    public required string Status { get; set; }
    public string? OwnerId { get; set; }
    public required string RequesterId { get; set; }
    public required string PatientId { get; set; }
    public required string FocusId { get; set; }
    public long LastUpdatedTicks { get; set; }
    /// <summary>Task.authoredOn as UTC ticks (0 when absent), for <c>_sort=authored-on</c>; -1 in rows from before the column until TaskIndexBackfill fills it.</summary>
    public long AuthoredOnTicks { get; set; }
    /// <summary>Task.priority as its rank in the request-priority value set (0 absent, routine 1, urgent 2, asap 3, stat 4), for <c>_sort=priority</c>; -1 until indexed.</summary>
    public int PriorityRank { get; set; }
    /// <summary>The Task's resource-level sensitivity labels, space-separated (consent is decided per candidate).</summary>
    public string Labels { get; set; } = string.Empty;
}
