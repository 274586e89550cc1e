namespace ReferralExchange.Core.Partners;

/// <summary>
/// A registered partner organisation. On the wire it is its client certificate; in the data it is
/// the FHIR <c>Organization/{Id}</c>. The gateway trusts the organisation, not individual staff.
/// </summary>
public sealed record Partner(string Id, string Name, PartnerKind Kind, PartnerStatus Status)
{
    public string Reference => $"Organization/{Id}";

    public bool IsActive => Status == PartnerStatus.Active;

    /// <summary>The purposes of use it is registered for (v3-ActReason codes); empty: those of its kind (purpose-of-use.json).</summary>
    public IReadOnlyList<string> Purposes { get; init; } = [];

    /// <summary>Where its Subscriptions may send notifications: https origins (<c>https://host:port</c>), registered by the operator.</summary>
    public IReadOnlyList<string> NotificationOrigins { get; init; } = [];
}

public enum PartnerStatus { Active, Suspended, Revoked }
