namespace ReferralExchange.Infrastructure.Persistence.Rows;

public sealed class PartnerRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>A partner-kind code (police-social-work, behavioral-health, housing, veterans).</summary>
    public required string Kind { get; set; }
    /// <summary>active | suspended | revoked.</summary>
    public required string Status { get; set; }
    public string? NotificationEndpoint { get; set; }
}
