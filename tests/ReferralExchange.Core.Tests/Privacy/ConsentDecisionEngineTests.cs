using ReferralExchange.Core.Privacy;
using static ReferralExchange.Core.Tests.Privacy.ConsentBuilder;

namespace ReferralExchange.Core.Tests.Privacy;

public sealed class ConsentDecisionEngineTests
{
    [Fact]
    public void Decide_NoConsents_IsNoConsent() =>
        Assert.Equal(ConsentOutcome.NoConsent, ConsentDecisionEngine.Decide([], Ask()).Outcome);

    [Fact]
    public void Decide_ActivePermitNamingRecipientPurposeAndClass_Permits()
    {
        var consent = Consent(Permit());
        var decision = ConsentDecisionEngine.Decide([consent], Ask());
        Assert.True(decision.Permits);
        Assert.Equal(consent.Reference, decision.ConsentReference);
    }

    [Fact]
    public void Decide_InactiveConsent_IsNoConsent() =>
        Assert.Equal(ConsentOutcome.NoConsent, ConsentDecisionEngine.Decide([Consent(Permit(), active: false)], Ask()).Outcome);

    [Fact]
    public void Decide_InactiveButIrrevocableUntilLater_StillPermits() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(), active: false, irrevocableUntil: Now.AddDays(10))], Ask()).Permits);

    [Fact]
    public void Decide_InactiveAndIrrevocablePeriodOver_IsNoConsent() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(), active: false, irrevocableUntil: Now.AddDays(-1))], Ask()).Permits);

    [Fact]
    public void Decide_Expired_IsNoConsent() =>
        Assert.Equal(ConsentOutcome.NoConsent, ConsentDecisionEngine.Decide([Consent(Permit(end: Now.AddDays(-1)))], Ask()).Outcome);

    [Fact]
    public void Decide_NotYetValid_IsNoConsent() =>
        Assert.Equal(ConsentOutcome.NoConsent, ConsentDecisionEngine.Decide([Consent(Permit(start: Now.AddDays(1)))], Ask()).Outcome);

    [Fact]
    public void Decide_SignedInTheFuture_IsNoConsent() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(), daysAgo: -2)], Ask()).Permits);

    [Fact]
    public void Decide_WrongRecipient_IsNoConsent() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(actors: ["va"]))], Ask(recipient: "bh")).Permits);

    [Fact]
    public void Decide_WrongPurpose_IsNoConsent() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(purposes: ["HOPERAT"]))], Ask(purpose: "TREAT")).Permits);

    [Fact]
    public void Decide_OtherPatientsConsent_IsNoConsent() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(), patient: "p2")], Ask(patient: "p1")).Permits);

    [Fact]
    public void Decide_ClassNotCovered_Denies() =>
        Assert.Equal(ConsentOutcome.Deny, ConsentDecisionEngine.Decide([Consent(Permit(classes: ["demographics"]))], Ask(classes: ["referral"])).Outcome);

    [Fact]
    public void Decide_ResourceLabelNotCovered_Denies() =>
        Assert.Equal(ConsentOutcome.Deny, ConsentDecisionEngine.Decide([Consent(Permit(classes: ["referral"]))], Ask(labels: ["MH"])).Outcome);

    [Fact]
    public void Decide_ResourceLabelCoveredByClass_Permits() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(classes: ["referral", "mental-health"]))], Ask(labels: ["MH"])).Permits);

    [Fact]
    public void Decide_ResourceLabelCoveredBySecurityLabel_Permits() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(classes: ["referral"], labels: ["SDV"]))], Ask(labels: ["SDV"])).Permits);

    [Fact]
    public void Decide_ElementLabelNotCovered_PermitsWithRedaction()
    {
        var decision = ConsentDecisionEngine.Decide([Consent(Permit(classes: ["referral", "housing"]))], Ask(elementLabels: ["MH"]));
        Assert.True(decision.Permits);
        Assert.Equal(["MH"], decision.RedactLabels);
    }

    [Fact]
    public void Decide_ElementClassNotCovered_PermitsWithRedaction()
    {
        var decision = ConsentDecisionEngine.Decide([Consent(Permit(classes: ["demographics"]))], Ask(classes: ["demographics"], elementClasses: ["contact"]));
        Assert.True(decision.Permits);
        Assert.Equal(["contact"], decision.RedactClasses);
    }

    [Fact]
    public void Decide_NestedDenyOfAClass_RedactsThatClass()
    {
        var consent = Consent(Permit(classes: ["referral", "mental-health", "substance-use"], exceptions: Deny(classes: ["substance-use"])));
        var decision = ConsentDecisionEngine.Decide([consent], Ask(elementLabels: ["SUD", "MH"]));
        Assert.True(decision.Permits);
        Assert.Equal(["SUD"], decision.RedactLabels);
    }

    [Fact]
    public void Decide_NestedDenyOfEverythingForTheRecipient_Denies() =>
        Assert.Equal(ConsentOutcome.Deny, ConsentDecisionEngine.Decide([Consent(Permit(exceptions: Deny(actors: ["bh"])))], Ask()).Outcome);

    [Fact]
    public void Decide_NestedDenyForAnotherActor_DoesNotApply() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(actors: ["bh", "va"], exceptions: Deny(actors: ["va"])))], Ask(recipient: "bh")).Permits);

    [Fact]
    public void Decide_NestedDenyForAnotherPurpose_DoesNotApply() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(exceptions: Deny(purposes: ["HOPERAT"])))], Ask(purpose: "TREAT")).Permits);

    [Fact]
    public void Decide_NestedDenyOutsideItsPeriod_DoesNotApply() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(exceptions: Deny(start: Now.AddDays(5))))], Ask()).Permits);

    [Fact]
    public void Decide_DenyRootWithNestedPermitForRecipient_PermitsOnlyThoseClasses()
    {
        var consent = Consent(Deny(actors: ["bh"], exceptions: Permit(classes: ["referral"])));
        Assert.True(ConsentDecisionEngine.Decide([consent], Ask(classes: ["referral"])).Permits);
        Assert.False(ConsentDecisionEngine.Decide([consent], Ask(classes: ["demographics"])).Permits);
    }

    [Fact]
    public void Decide_DenyMoreRecentThanPermit_Denies() =>
        Assert.Equal(ConsentOutcome.Deny, ConsentDecisionEngine.Decide([Consent(Permit(), daysAgo: 5), Consent(Deny(actors: ["bh"]), daysAgo: 1)], Ask()).Outcome);

    [Fact]
    public void Decide_PermitMoreRecentThanDeny_Permits() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(), daysAgo: 1), Consent(Deny(actors: ["bh"]), daysAgo: 5)], Ask()).Permits);

    [Fact]
    public void Decide_MostRecentPermitNarrower_ItWins()
    {
        var older = Consent(Permit(classes: ["referral", "mental-health"]), daysAgo: 10);
        var newer = Consent(Permit(classes: ["referral"]), daysAgo: 1);
        var decision = ConsentDecisionEngine.Decide([older, newer], Ask(labels: ["MH"]));
        Assert.Equal(ConsentOutcome.Deny, decision.Outcome);
        Assert.Equal(newer.Reference, decision.ConsentReference);
    }

    [Fact]
    public void Decide_RecentConsentForOtherRecipient_DoesNotOverrideOlderApplicableOne() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(), daysAgo: 10), Consent(Permit(actors: ["va"]), daysAgo: 1)], Ask()).Permits);

    [Fact]
    public void Decide_Part2DataUnderConsentWithoutExpiry_Denies()
    {
        var consent = Consent(Permit(classes: ["referral", "substance-use"]) with { End = null });
        Assert.False(ConsentDecisionEngine.Decide([consent], Ask(labels: ["ETH", "SUD"])).Permits);
    }

    [Fact]
    public void Decide_Part2DataUnderConsentWithExpiryNamingRecipientAndPurpose_Permits() =>
        Assert.True(ConsentDecisionEngine.Decide([Consent(Permit(classes: ["referral", "substance-use"]))], Ask(labels: ["ETH", "SUD"])).Permits);

    [Fact]
    public void Decide_Part2ElementsUnderConsentWithoutExpiry_AreRedacted()
    {
        var consent = Consent(Permit(classes: ["referral", "substance-use", "mental-health"]) with { End = null });
        var decision = ConsentDecisionEngine.Decide([consent], Ask(elementLabels: ["SUD", "MH"]));
        Assert.True(decision.Permits);
        Assert.Equal(["SUD"], decision.RedactLabels);
    }

    [Fact]
    public void Decide_PermitWithoutActors_NeverAppliesToAnyone() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(actors: []))], Ask()).Permits);

    [Fact]
    public void Decide_PermitWithoutPurposes_NeverApplies() =>
        Assert.False(ConsentDecisionEngine.Decide([Consent(Permit(purposes: []))], Ask()).Permits);
}
