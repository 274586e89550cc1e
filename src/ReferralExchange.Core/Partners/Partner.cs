namespace ReferralExchange.Core.Partners;

/// <summary>
/// A registered partner organisation. On the wire it is its client certificate; in the data it is
/// the FHIR <c>Organization/{Id}</c>. The gateway trusts the organisation, not individual staff.
/// </summary>
public sealed record Partner(string Id, string Name, PartnerKind Kind, PartnerStatus Status)
{
    public string Reference => $"Organization/{Id}";

    public bool IsActive => Status == PartnerStatus.Active;
}

public enum PartnerStatus { Active, Suspended, Revoked }
