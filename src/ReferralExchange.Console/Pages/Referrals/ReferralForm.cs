using System.ComponentModel.DataAnnotations;
using ReferralExchange.Core.Intake;

namespace ReferralExchange.WebConsole.Pages.Referrals;

/// <summary>The new-referral form, posted as plain fields (works without JavaScript), turned into the native referral.</summary>
public sealed class ReferralForm
{
    [Display(Name = "Case reference")] public string? CaseReference { get; set; }
    [Display(Name = "Person id in your case system")] public string? PersonId { get; set; }
    [Display(Name = "Given name")] public string? GivenName { get; set; }
    [Display(Name = "Family name")] public string? FamilyName { get; set; }
    [Display(Name = "Date of birth (YYYY-MM-DD)")] public string? BirthDate { get; set; }
    public string? Gender { get; set; }
    public string? Phone { get; set; }
    public List<string> Needs { get; set; } = [];
    [Display(Name = "What the person needs")] public string? NeedDescription { get; set; }
    public string? Urgency { get; set; } = "routine";
    [Display(Name = "Do not contact the person directly")] public bool DoNotContact { get; set; }
    [Display(Name = "Safety and contact instructions")] public string? SafeContactInstructions { get; set; }
    [Display(Name = "The person is a veteran")] public bool Veteran { get; set; }
    [Display(Name = "Recipient (empty: open referral by category)")] public string? Recipient { get; set; }
    public List<string> ConsentRecipients { get; set; } = [];
    public List<string> ConsentPurposes { get; set; } = ["TREAT", "CAREMGT"];
    public List<string> ConsentDataClasses { get; set; } = ["demographics", "contact", "referral"];
    [Display(Name = "Consent expires on (YYYY-MM-DD)")] public string? ConsentExpiresOn { get; set; }
    [Display(Name = "Signed consent form reference (URL)")] public string? ConsentFormReference { get; set; }
    [Display(Name = "Irrevocable until (YYYY-MM-DD, criminal-justice referrals only)")] public string? ConsentIrrevocableUntil { get; set; }

    public NativeReferral ToNative(string? workerName) => new()
    {
        ReferralId = Blank(CaseReference) ?? "console-" + Guid.NewGuid().ToString("N")[..12],
        Person = new NativePerson
        {
            PersonId = Blank(PersonId),
            GivenNames = Blank(GivenName) is { } given ? [given] : null,
            FamilyName = Blank(FamilyName),
            BirthDate = Blank(BirthDate),
            Gender = Blank(Gender),
            Phone = Blank(Phone),
        },
        Needs = Needs.Select(n => new NativeNeed { Category = n, Description = Blank(NeedDescription) }).ToList(),
        Urgency = Blank(Urgency),
        DoNotContact = DoNotContact,
        SafeContactInstructions = Blank(SafeContactInstructions),
        Veteran = Veteran,
        ReferringWorker = new NativeWorker { Name = workerName },
        Recipient = Blank(Recipient),
        Consent = new NativeConsent
        {
            Recipients = ConsentRecipients,
            Purposes = ConsentPurposes,
            DataClasses = ConsentDataClasses,
            SignedOn = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ExpiresOn = Blank(ConsentExpiresOn),
            FormReference = Blank(ConsentFormReference),
            IrrevocableUntil = Blank(ConsentIrrevocableUntil),
        },
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
