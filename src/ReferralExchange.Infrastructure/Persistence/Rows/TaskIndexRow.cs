namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>The searchable elements of each Task's current version (owner, requester, status, patient, focus, _lastUpdated).</summary>
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
    /// <summary>The Task's resource-level sensitivity labels, space-separated (consent is decided per candidate).</summary>
    public string Labels { get; set; } = string.Empty;
}
