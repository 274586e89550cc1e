using System.Globalization;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Routing;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// Checks a native referral before translation and reports every problem at once, each with the
/// JSON path of the field (e.g. <c>consent.expiresOn</c>). Messages name rules, never values.
/// </summary>
public sealed class NativeReferralValidator(CategoryRouting routing)
{
    private static readonly string[] Urgencies = ["routine", "urgent", "asap", "stat"];
    private static readonly string[] Genders = ["male", "female", "other", "unknown"];
    // One vocabulary for consents and tokens (purpose-of-use.json; the consent-purpose ValueSet matches it).
    private static readonly IReadOnlyList<string> Purposes = Authorization.PurposeOfUseRules.Default.Vocabulary;
    private static readonly string[] DataClasses =
        ["demographics", "contact", "referral", "mental-health", "substance-use", "housing", "veteran", "domestic-violence", "hiv", "outcome"];

    public IReadOnlyList<Issue> Validate(NativeReferral referral, IReadOnlyDictionary<string, Partner> partners)
    {
        var issues = new List<Issue>();
        void Fail(string path, string message, string code = "invalid") => issues.Add(new Issue(code, message, path));

        if (string.IsNullOrWhiteSpace(referral.ReferralId))
            Fail("referralId", "referralId is required", "required");
        else if (referral.ReferralId.Length > 64)
            Fail("referralId", "referralId is at most 64 characters");

        ValidatePerson(referral.Person, Fail);

        var categories = new List<string>();
        if (referral.Needs is not { Count: > 0 })
        {
            Fail("needs", "at least one need is required", "required");
        }
        else
        {
            for (var i = 0; i < referral.Needs.Count; i++)
            {
                var category = referral.Needs[i]?.Category;
                if (string.IsNullOrWhiteSpace(category))
                    Fail($"needs[{i}].category", "category is required", "required");
                else if (!routing.IsKnownCategory(category))
                    Fail($"needs[{i}].category", $"category must be one of: {string.Join(", ", routing.Categories)}", "code-invalid");
                else
                    categories.Add(category);
            }
        }

        if (string.IsNullOrWhiteSpace(referral.Urgency))
            Fail("urgency", "urgency is required", "required");
        else if (!Urgencies.Contains(referral.Urgency))
            Fail("urgency", "urgency must be one of: routine, urgent, asap, stat", "code-invalid");

        if (referral.Narrative is { Length: > 10_000 })
            Fail("narrative", "narrative is at most 10000 characters");

        if (string.IsNullOrWhiteSpace(referral.ReferringWorker?.Name))
            Fail("referringWorker.name", "the referring worker's name is required", "required");

        Partner? recipient = null;
        if (referral.Recipient is not null)
        {
            if (!partners.TryGetValue(referral.Recipient, out recipient) || !recipient.IsActive)
                Fail("recipient", "recipient is not a registered, active partner", "not-found");
            else if (!routing.Serves(recipient.Kind, categories) && categories.Count > 0)
                Fail("recipient", "the recipient does not serve any of the referral's need categories", "business-rule");
        }

        ValidateConsent(referral.Consent, referral.Recipient, partners, Fail);
        return issues;
    }

    private static void ValidatePerson(NativePerson? person, Action<string, string, string> fail)
    {
        if (person is null)
        {
            fail("person", "person is required", "required");
            return;
        }
        if (string.IsNullOrWhiteSpace(person.FamilyName) && person.GivenNames is not { Count: > 0 })
            fail("person.familyName", "a family name or a given name is required", "required");
        if (person.BirthDate is not null && !IsFhirDate(person.BirthDate))
            fail("person.birthDate", "birthDate must be a date (YYYY, YYYY-MM or YYYY-MM-DD) not in the future", "value");
        if (person.Gender is not null && !Genders.Contains(person.Gender))
            fail("person.gender", "gender must be one of: male, female, other, unknown", "code-invalid");
    }

    private static void ValidateConsent(NativeConsent? consent, string? recipient,
        IReadOnlyDictionary<string, Partner> partners, Action<string, string, string> fail)
    {
        if (consent is null)
        {
            fail("consent", "the person's consent is required: no consent, no referral", "required");
            return;
        }
        if (consent.Recipients is not { Count: > 0 })
        {
            fail("consent.recipients", "the consent must name at least one recipient", "required");
        }
        else
        {
            for (var i = 0; i < consent.Recipients.Count; i++)
            {
                if (!partners.ContainsKey(consent.Recipients[i] ?? string.Empty))
                    fail($"consent.recipients[{i}]", "recipient is not a registered partner", "not-found");
            }
            if (recipient is not null && !consent.Recipients.Contains(recipient))
                fail("consent.recipients", "the consent does not name the referral's recipient", "business-rule");
        }

        if (consent.Purposes is not { Count: > 0 })
            fail("consent.purposes", "the consent must name at least one purpose of use", "required");
        else
            for (var i = 0; i < consent.Purposes.Count; i++)
                if (!Purposes.Contains(consent.Purposes[i]))
                    fail($"consent.purposes[{i}]", $"purpose must be one of: {string.Join(", ", Purposes)}", "code-invalid");

        if (consent.DataClasses is not { Count: > 0 })
            fail("consent.dataClasses", "the consent must name the data classes it covers", "required");
        else
            for (var i = 0; i < consent.DataClasses.Count; i++)
                if (!DataClasses.Contains(consent.DataClasses[i]))
                    fail($"consent.dataClasses[{i}]", $"data class must be one of: {string.Join(", ", DataClasses)}", "code-invalid");

        DateTimeOffset? signedOn = null;
        if (consent.SignedOn is null)
            fail("consent.signedOn", "the date the consent was signed is required", "required");
        else if (!FhirInstant.TryParse(consent.SignedOn, out var instant))
            fail("consent.signedOn", "signedOn must be an instant: date, time to the second and time zone (e.g. 2026-11-20T14:00:00Z)", "value");
        else
            signedOn = instant;

        if (string.IsNullOrWhiteSpace(consent.ExpiresOn))
            fail("consent.expiresOn", "the consent must have an expiry date", "required");
        else if (!DateOnly.TryParseExact(consent.ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
            fail("consent.expiresOn", "expiresOn must be a date (YYYY-MM-DD)", "value");
        else if (signedOn is { } signed && expires < DateOnly.FromDateTime(signed.UtcDateTime))
            fail("consent.expiresOn", "the consent expires before it was signed", "business-rule");

        if (consent.IrrevocableUntil is { } irrevocable
            && (!DateOnly.TryParseExact(irrevocable, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until)
                || (DateOnly.TryParseExact(consent.ExpiresOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiry) && until > expiry)))
            fail("consent.irrevocableUntil", "irrevocableUntil must be a date (YYYY-MM-DD) no later than expiresOn", "value");

        if (string.IsNullOrWhiteSpace(consent.FormReference))
            fail("consent.formReference", "a reference to the signed consent form is required", "required");
        else if (!Uri.TryCreate(consent.FormReference, UriKind.Absolute, out _))
            fail("consent.formReference", "formReference must be an absolute URI", "value");
    }

    private static bool IsFhirDate(string value)
    {
        string[] formats = ["yyyy", "yyyy-MM", "yyyy-MM-dd"];
        return DateTime.TryParseExact(value, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date <= DateTime.UtcNow.Date;
    }
}
