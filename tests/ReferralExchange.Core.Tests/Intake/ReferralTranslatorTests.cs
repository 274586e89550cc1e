using Hl7.Fhir.Model;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;
using ReferralExchange.Core.Routing;

namespace ReferralExchange.Core.Tests.Intake;

public sealed class ReferralTranslatorTests
{
    private static ProfileValidator Validator => Tests.Profiles.SharedValidator.Get;
    private static readonly Partner Psw = new("psw-metro", "Metro PSW", PartnerKind.PoliceSocialWork, PartnerStatus.Active);
    private static readonly Dictionary<string, Partner> Partners = new()
    {
        ["psw-metro"] = Psw,
        ["bh-riverside"] = new("bh-riverside", "Riverside BH", PartnerKind.BehavioralHealth, PartnerStatus.Active),
        ["housing-harbor"] = new("housing-harbor", "Harbor Housing", PartnerKind.Housing, PartnerStatus.Active),
        ["va-central"] = new("va-central", "Central VA", PartnerKind.Veterans, PartnerStatus.Active),
    };

    public static NativeReferral Sample(string? recipient = "bh-riverside", string[]? categories = null, bool doNotContact = false) => new()
    {
        ReferralId = "R-1",
        Person = new NativePerson { GivenNames = ["Alex"], FamilyName = "Example", BirthDate = "1980-01-02", Gender = "other", Phone = "555-0100" },
        Needs = (categories ?? ["mental-health"]).Select(c => new NativeNeed { Category = c, Description = "needs help" }).ToList(),
        Urgency = "urgent",
        Narrative = "Narrative text",
        DoNotContact = doNotContact,
        SafeContactInstructions = "Via the shelter",
        ReferringWorker = new NativeWorker { WorkerId = "W-1", Name = "Jordan" },
        Recipient = recipient,
        Consent = new NativeConsent
        {
            Recipients = ["bh-riverside", "housing-harbor"],
            Purposes = ["TREAT"],
            DataClasses = ["referral", "mental-health", "substance-use"],
            SignedOn = "2026-11-20T14:00:00Z",
            ExpiresOn = "2027-05-20",
            FormReference = "https://psw.example/forms/1",
        },
    };

    private static ReferralResources Translate(NativeReferral referral) =>
        new ReferralTranslator(CategoryRouting.Default).Translate(referral, Psw, Partners, new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Translate_DirectedReferral_ProducesResourcesThatSatisfyOurProfiles()
    {
        var resources = Translate(Sample());

        foreach (var resource in resources.All())
        {
            var issues = Validator.Validate(resource);
            Assert.True(issues.Count == 0, $"{resource.TypeName}: " + string.Join("; ", issues.Select(i => $"{i.Expression}: {i.Message}")));
        }
    }

    [Fact]
    public void Translate_BlankAddressLines_AreLeftOutAndTheResultIsValid()
    {
        var referral = Sample() with
        {
            Person = Sample().Person! with { Address = new NativeAddress { Lines = ["", "  ", "1 Main St"], City = "" } },
        };

        var patient = Translate(referral).Patient;

        Assert.Equal(["1 Main St"], patient.Address.Single().Line);
        Assert.Empty(Validator.Validate(patient));
    }

    [Fact]
    public void Translate_AddressWithOnlyBlankParts_IsLeftOut()
    {
        var referral = Sample() with
        {
            Person = Sample().Person! with { Address = new NativeAddress { Lines = [""], City = " " } },
        };

        Assert.Empty(Translate(referral).Patient.Address);
    }

    [Fact]
    public void Translate_DirectedReferral_LinksTheResourcesTogether()
    {
        var r = Translate(Sample());

        Assert.Equal($"Patient/{r.Patient.Id}", r.ServiceRequest.Subject.Reference);
        Assert.Equal($"ServiceRequest/{r.ServiceRequest.Id}", r.Task.Focus!.Reference);
        Assert.Equal("Organization/bh-riverside", r.Task.Owner!.Reference);
        Assert.Equal("Organization/psw-metro", r.Task.Requester!.Reference);
        Assert.Equal($"Consent/{r.Consent.Id}", r.ServiceRequest.SupportingInfo.Single().Reference);
        Assert.Equal($"PractitionerRole/{r.PractitionerRole!.Id}", r.ServiceRequest.Requester!.Reference);
    }

    [Fact]
    public void Translate_DoNotContact_AddsTheSdohOrderDetail()
    {
        var r = Translate(Sample(doNotContact: true));

        Assert.Contains(r.ServiceRequest.OrderDetail.SelectMany(o => o.Coding), c => c.Code == "contacting-subject-prohibited");
    }

    [Fact]
    public void Translate_SubstanceUseConsent_CarriesPart2SensitivityLabels()
    {
        var r = Translate(Sample());

        var labels = r.Consent.Provision!.SecurityLabel.Select(c => c.Code).ToList();
        Assert.Contains("ETH", labels);
        Assert.Contains("MH", labels);
    }

    [Fact]
    public void Translate_OpenReferral_HasNoOwnerAndOnlyServingConsentRecipientsAsCandidates()
    {
        var r = Translate(Sample(recipient: null, categories: ["homelessness"]));

        Assert.Null(r.Task.Owner);
        Assert.Empty(r.ServiceRequest.Performer);
        Assert.Equal(["housing-harbor"], r.Candidates);
    }
}
