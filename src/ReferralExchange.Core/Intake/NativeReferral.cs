namespace ReferralExchange.Core.Intake;

/// <summary>
/// The referral as a police social work case system sends it (docs/native-referral.md).
/// Every member is nullable so that the validator, not the JSON reader, says what is missing,
/// with the path of the field.
/// </summary>
public sealed record NativeReferral
{
    /// <summary>The case system's own referral id; with the sender it makes the submission idempotent.</summary>
    public string? ReferralId { get; init; }
    public NativePerson? Person { get; init; }
    public List<NativeNeed>? Needs { get; init; }
    /// <summary>routine | urgent | asap | stat (FHIR request-priority).</summary>
    public string? Urgency { get; init; }
    public string? Narrative { get; init; }
    /// <summary>Do not contact the person directly (e.g. domestic-violence safety).</summary>
    public bool? DoNotContact { get; init; }
    public string? SafeContactInstructions { get; init; }
    public bool? Veteran { get; init; }
    public NativeWorker? ReferringWorker { get; init; }
    /// <summary>The receiving partner's id, or null for an open referral routed by category.</summary>
    public string? Recipient { get; init; }
    public NativeConsent? Consent { get; init; }
}

public sealed record NativePerson
{
    /// <summary>The case system's person id (kept as a Patient.identifier scoped to the sender).</summary>
    public string? PersonId { get; init; }
    public List<string>? GivenNames { get; init; }
    public string? FamilyName { get; init; }
    public string? BirthDate { get; init; }
    /// <summary>male | female | other | unknown (FHIR administrative-gender).</summary>
    public string? Gender { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public NativeAddress? Address { get; init; }
}

public sealed record NativeAddress
{
    public List<string>? Lines { get; init; }
    public string? City { get; init; }
    public string? State { get; init; }
    public string? PostalCode { get; init; }
}

public sealed record NativeNeed
{
    /// <summary>A code of CodeSystem referral-category (mental-health, substance-use, housing-instability, …).</summary>
    public string? Category { get; init; }
    public string? Description { get; init; }
}

public sealed record NativeWorker
{
    public string? WorkerId { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}

public sealed record NativeConsent
{
    /// <summary>Partner ids the person agreed may receive their data.</summary>
    public List<string>? Recipients { get; init; }
    /// <summary>Purpose-of-use codes (v3-ActReason: TREAT, ETREAT, HPAYMT, HOPERAT, CAREMGT).</summary>
    public List<string>? Purposes { get; init; }
    /// <summary>Data classes (CodeSystem data-class: demographics, contact, referral, mental-health, …).</summary>
    public List<string>? DataClasses { get; init; }
    /// <summary>When the person signed: a FHIR instant (date, time to the second and zone).</summary>
    public string? SignedOn { get; init; }
    public string? ExpiresOn { get; init; }
    /// <summary>Where the signed form is kept (a URL in the sender's document system).</summary>
    public string? FormReference { get; init; }
    /// <summary>
    /// Criminal-justice referrals (42 CFR §2.35): the consent cannot be revoked before this date.
    /// Must not be after <see cref="ExpiresOn"/>.
    /// </summary>
    public string? IrrevocableUntil { get; init; }
}
