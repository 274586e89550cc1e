namespace ReferralExchange.Infrastructure.Persistence.Rows;

public sealed class PartnerRow
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    /// <summary>A partner-kind code (police-social-work, behavioral-health, housing, veterans).</summary>
    public required string Kind { get; set; }
    /// <summary>active | suspended | revoked.</summary>
    public required string Status { get; set; }
    /// <summary>Purposes of use it may assert (v3-ActReason codes, within its kind's); empty: all of its kind's.</summary>
    public List<string> Purposes { get; set; } = [];
    /// <summary>The https origins (<c>https://host:port</c>) its Subscriptions may notify.</summary>
    public List<string> NotificationOrigins { get; set; } = [];
}
