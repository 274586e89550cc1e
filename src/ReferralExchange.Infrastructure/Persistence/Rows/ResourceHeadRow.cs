namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>Points at a resource's current version. <see cref="CurrentVersion"/> is the optimistic-concurrency token.</summary>
public sealed class ResourceHeadRow
{
    public required string ResourceType { get; set; }
    public required string ResourceId { get; set; }
    public int CurrentVersion { get; set; }
    public long LastUpdatedTicks { get; set; }
    public string? ReferralKey { get; set; }
}
