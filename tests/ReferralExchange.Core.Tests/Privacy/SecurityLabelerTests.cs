using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Routing;
using ReferralExchange.Core.Tests.Intake;

namespace ReferralExchange.Core.Tests.Privacy;

public sealed class SecurityLabelerTests
{
    private static readonly Partner Psw = new("psw-metro", "Metro PSW", PartnerKind.PoliceSocialWork, PartnerStatus.Active);
    private static readonly Dictionary<string, Partner> Partners = new()
    {
        ["psw-metro"] = Psw,
        ["bh-riverside"] = new("bh-riverside", "BH", PartnerKind.BehavioralHealth, PartnerStatus.Active),
        ["housing-harbor"] = new("housing-harbor", "Housing", PartnerKind.Housing, PartnerStatus.Active),
    };

    private static ReferralResources Labelled(params string[] categories)
    {
        var referral = new ReferralTranslator(CategoryRouting.Default).Translate(
            ReferralTranslatorTests.Sample(recipient: "bh-riverside", categories: categories), Psw, Partners, DateTimeOffset.UtcNow);
        new SecurityLabeler(LabelingRules.Default).Label(referral);
        return referral;
    }

    private static IEnumerable<string> MetaLabels(Resource r) => r.Meta!.Security.Where(c => c.System == FhirUris.ActCode).Select(c => c.Code).OfType<string>();

    private static IEnumerable<string> Inline(Element e) => e.Extension.Where(x => x.Url == InlineLabels.ExtensionUrl).Select(x => ((Coding)x.Value!).Code).OfType<string>();

    [Fact]
    public void Label_SubstanceUseOnly_LabelsEveryResourceOfThePersonAsPart2()
    {
        var r = Labelled("substance-use");
        foreach (var resource in new Resource[] { r.Patient, r.ServiceRequest, r.Consent, r.Task })
        {
            Assert.Equal(["ETH", "SUD"], MetaLabels(resource).Order());
        }
        Assert.Contains(r.Task.Meta!.Security, c => c.System == FhirUris.Confidentiality && c.Code == "R");
    }

    [Fact]
    public void Label_HousingAndMentalHealth_LabelsOnlyTheMentalHealthElements()
    {
        var r = Labelled("housing-instability", "mental-health");
        Assert.Empty(MetaLabels(r.ServiceRequest));
        Assert.Empty(MetaLabels(r.Task));
        var categories = r.ServiceRequest.Category.ToDictionary(c => c.Coding[0].Code!, Inline);
        Assert.Equal(["MH"], categories["mental-health"]);
        Assert.Empty(categories["housing-instability"]);
        Assert.All(r.ServiceRequest.Note, n => Assert.Contains("MH", Inline(n)));
    }

    [Fact]
    public void Label_NoSensitiveNeed_IsNormalConfidentialityWithoutLabels()
    {
        var r = Labelled("homelessness");
        Assert.Empty(MetaLabels(r.ServiceRequest));
        Assert.Contains(r.ServiceRequest.Meta!.Security, c => c.System == FhirUris.Confidentiality && c.Code == "N");
    }

    [Fact]
    public void Label_PatientContactDetails_AreTaggedWithTheContactClass()
    {
        var r = Labelled("mental-health");
        Assert.All(r.Patient.Telecom, t => Assert.Contains("contact", Inline(t)));
    }
}
