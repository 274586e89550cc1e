using Hl7.Fhir.Model;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Routing;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// Synthetic referrals, translated and labelled exactly as a submission is, for the validator's
/// warm-up (ADR 0016): one per category, one with every need, one open to candidates, one of a
/// veteran. Firely's validator compiles each schema on its first use and does not share a
/// compilation in progress, so a schema first needed by a burst of concurrent submissions is compiled
/// by every one of them at once; the profiles' examples alone left the submissions' own slices and
/// labels to that stampede. Nothing here names a person; nothing is stored.
/// </summary>
public static class WarmUpReferrals
{
    private static readonly Partner Source = new("warm-up-psw", "Warm-up", PartnerKind.PoliceSocialWork, PartnerStatus.Active);

    public static IEnumerable<Resource> Instances(CategoryRouting routing, LabelingRules rules)
    {
        var translator = new ReferralTranslator(routing);
        var labeler = new SecurityLabeler(rules);
        var partners = Enum.GetValues<PartnerKind>()
            .Select(kind => new Partner($"warm-up-{kind}".ToLowerInvariant(), $"Warm-up {kind}", kind, PartnerStatus.Active))
            .ToDictionary(p => p.Id);
        partners[Source.Id] = Source;
        var now = DateTimeOffset.UtcNow;
        foreach (var referral in Referrals(routing, partners.Values.ToList()))
        {
            var resources = translator.Translate(referral, Source, partners, now);
            labeler.Label(resources);
            foreach (var resource in resources.All())
            {
                yield return resource;
            }
        }
    }

    private static IEnumerable<NativeReferral> Referrals(CategoryRouting routing, IReadOnlyList<Partner> partners)
    {
        var categories = routing.Categories.Order(StringComparer.Ordinal).ToList();
        foreach (var category in categories)
        {
            var recipient = partners.First(p => p.Kind != PartnerKind.PoliceSocialWork && routing.Serves(p.Kind, [category]));
            yield return Referral([category], recipient.Id, [recipient.Id], veteran: false);
        }
        var everyone = partners.Where(p => p.Kind is not PartnerKind.PoliceSocialWork and not PartnerKind.Operator).Select(p => p.Id).ToList();
        yield return Referral(categories, null, everyone, veteran: true);
    }

    private static NativeReferral Referral(IReadOnlyList<string> categories, string? recipient, List<string> consentRecipients, bool veteran) => new()
    {
        ReferralId = "warm-up-" + Guid.NewGuid().ToString("N"),
        Person = new NativePerson
        {
            PersonId = "warm-up", GivenNames = ["Warm"], FamilyName = "Up", BirthDate = "1980-01-01", Gender = "unknown",
            Phone = "+1-555-0100", Email = "warm-up@example.org",
            Address = new NativeAddress { Lines = ["1 Example Street"], City = "Example", State = "MA", PostalCode = "01101" },
        },
        Needs = categories.Select(c => new NativeNeed { Category = c, Description = "Warm-up" }).ToList(),
        Urgency = "urgent",
        Narrative = "Warm-up.",
        SafeContactInstructions = "Warm-up.",
        Veteran = veteran,
        ReferringWorker = new NativeWorker { WorkerId = "W-0", Name = "Warm-up", Phone = "+1-555-0101", Email = "worker@example.org" },
        Recipient = recipient,
        Consent = new NativeConsent
        {
            Recipients = consentRecipients,
            Purposes = ["TREAT", "CAREMGT"],
            DataClasses = ["demographics", "contact", "referral", "mental-health", "substance-use", "housing", "veteran", "domestic-violence"],
            SignedOn = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ExpiresOn = DateTimeOffset.UtcNow.AddYears(1).ToString("yyyy-MM-dd"),
            FormReference = "https://warm-up.example/forms/1",
        },
    };
}
