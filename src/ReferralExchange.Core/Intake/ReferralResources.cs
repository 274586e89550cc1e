using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// One referral as FHIR: the resources intake writes together, in one transaction, plus what the
/// gateway needs to route and protect them.
/// </summary>
/// <param name="IdentifierSystem">With <paramref name="IdentifierValue"/> and the sender: the idempotency key.</param>
/// <param name="RecipientId">The receiving partner, or null for an open referral.</param>
/// <param name="Candidates">For an open referral: the partners that may claim it.</param>
public sealed record ReferralResources(
    string ReferralKey,
    string IdentifierSystem,
    string IdentifierValue,
    string RequesterId,
    string? RecipientId,
    IReadOnlyList<string> Candidates,
    Patient Patient,
    ServiceRequest ServiceRequest,
    Consent Consent,
    FhirTask Task,
    PractitionerRole? PractitionerRole)
{
    /// <summary>Earlier or later consents the person gave for the same referral (most recent wins).</summary>
    public IReadOnlyList<Consent> OtherConsents { get; init; } = [];

    /// <summary>All resources in the order the transaction-response lists them.</summary>
    public IEnumerable<Resource> All()
    {
        yield return Patient;
        if (PractitionerRole is not null)
        {
            yield return PractitionerRole;
        }
        yield return Consent;
        foreach (var other in OtherConsents)
        {
            yield return other;
        }
        yield return ServiceRequest;
        yield return Task;
    }
}
