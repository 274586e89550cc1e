using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// The gateway itself as a FHIR Device: what BALP AuditEvents name as agent[server] and
/// source.observer (IHE BALP: "May be a Device Resource"), served at <c>[base]/Device/{id}</c> so
/// that the reference resolves.
/// </summary>
public static class GatewayDevice
{
    public static AuditServer AuditServer(PublicBaseUrl publicBase) => new(Core.Audit.AuditServer.DefaultDeviceId, publicBase.Host, publicBase.Fhir);

    public static Device Resource(PublicBaseUrl publicBase) => new()
    {
        Id = Core.Audit.AuditServer.DefaultDeviceId,
        Status = Device.FHIRDeviceStatus.Active,
        DeviceName = [new Device.DeviceNameComponent { Name = "Referral Exchange gateway", Type = DeviceNameType.ManufacturerName }],
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"),
        Url = publicBase.Fhir,
    };
}
