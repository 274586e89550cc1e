namespace ReferralExchange.Core.Audit;

/// <summary>
/// The gateway as an AuditEvent names it (IHE BALP agent[server] and source.observer): the Device
/// resource that describes it, its site (host name) and its FHIR base (the server agent's network
/// address, network-type 5 URI).
/// </summary>
public sealed record AuditServer(string DeviceId, string Site, string FhirBase)
{
    public const string DefaultDeviceId = "referral-exchange-gateway";

    public string DeviceReference => $"Device/{DeviceId}";
}
