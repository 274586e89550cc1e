namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>A partner's rest-hook subscription (criteria on its own referrals as owner or requester).</summary>
public sealed class SubscriptionRow
{
    public required string Id { get; set; }
    public required string PartnerId { get; set; }
    public string? OwnerId { get; set; }
    public string? RequesterId { get; set; }
    /// <summary>Comma-separated Task statuses; empty means any.</summary>
    public string Statuses { get; set; } = string.Empty;
    public required string Endpoint { get; set; }
    public required string Status { get; set; }
    public long CreatedTicks { get; set; }
}
