namespace ReferralExchange.Core.Privacy;

/// <summary>
/// A FHIR Consent reduced to what the decision engine evaluates (FHIR R4 Consent §12.8, IHE
/// Privacy Consent on FHIR): who may receive, for which purposes, which classes of data, when;
/// nested provisions are exceptions that flip their parent.
/// </summary>
public sealed record ConsentPolicy(
    string Id,
    bool Active,
    DateTimeOffset DateTime,
    string PatientId,
    ConsentProvision Provision,
    DateTimeOffset? IrrevocableUntil)
{
    public string Reference => $"Consent/{Id}";
}

/// <param name="Permit">provision.type: permit (true) or deny (false).</param>
/// <param name="Actors">Recipient Organization ids (role IRCP); empty means any actor.</param>
/// <param name="Purposes">v3-ActReason codes; empty means any purpose.</param>
/// <param name="Classes">Data classes (CodeSystem data-class); empty means any class.</param>
/// <param name="SecurityLabels">Sensitivity labels covered (v3-ActCode); empty means none named.</param>
public sealed record ConsentProvision(
    bool Permit,
    DateTimeOffset? Start,
    DateTimeOffset? End,
    IReadOnlyList<string> Actors,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Classes,
    IReadOnlyList<string> SecurityLabels,
    IReadOnlyList<ConsentProvision> Exceptions)
{
    public bool InPeriod(DateTimeOffset now) => (Start is null || Start <= now) && (End is null || now < End);
}
