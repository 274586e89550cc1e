using System.Globalization;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Privacy;

/// <summary>Reads a FHIR Consent (our rx-consent profile) into the engine's <see cref="ConsentPolicy"/>.</summary>
public static class ConsentPolicyReader
{
    public const string IrrevocableUntilUrl = FhirUris.Base + "/StructureDefinition/irrevocable-until";

    public static ConsentPolicy Read(Hl7.Fhir.Model.Consent consent) => new(
        consent.Id ?? string.Empty,
        consent.Status == Hl7.Fhir.Model.Consent.ConsentState.Active,
        Instant(consent.DateTime) ?? DateTimeOffset.MaxValue,
        consent.Patient?.Reference is { } p && p.StartsWith("Patient/", StringComparison.Ordinal) ? p["Patient/".Length..] : string.Empty,
        consent.Provision is { } provision ? Provision(provision) : new ConsentProvision(false, null, null, [], [], [], [], []),
        consent.GetExtensionValue<FhirDateTime>(IrrevocableUntilUrl) is { } until ? End(until.Value) : null);

    private static ConsentProvision Provision(Hl7.Fhir.Model.Consent.provisionComponent p) => new(
        p.Type != Hl7.Fhir.Model.Consent.ConsentProvisionType.Deny,
        Instant(p.Period?.Start),
        End(p.Period?.End),
        p.Actor.Where(a => a.Role?.Coding.Any(c => c.Code == "IRCP") == true)
            .Select(a => a.Reference?.Reference)
            .Where(r => r?.StartsWith("Organization/", StringComparison.Ordinal) == true)
            .Select(r => r!["Organization/".Length..])
            .ToList(),
        p.Purpose.Select(c => c.Code).OfType<string>().ToList(),
        p.Class.Where(c => c.System == FhirUris.DataClass).Select(c => c.Code).OfType<string>().ToList(),
        p.SecurityLabel.Select(c => c.Code).OfType<string>().ToList(),
        p.Provision.Select(Provision).ToList());

    private static DateTimeOffset? Instant(string? value) =>
        string.IsNullOrEmpty(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) ? instant
        : null;

    /// <summary>A date-only end covers that whole day: "expires 2027-05-20" means usable on the 20th.</summary>
    private static DateTimeOffset? End(string? value) =>
        value is { Length: 10 } && Instant(value) is { } day ? day.AddDays(1) : Instant(value);
}
