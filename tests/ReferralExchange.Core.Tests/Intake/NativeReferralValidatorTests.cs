using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Routing;

namespace ReferralExchange.Core.Tests.Intake;

public sealed class NativeReferralValidatorTests
{
    private static readonly NativeReferralValidator Validator = new(CategoryRouting.Default);
    private static readonly Dictionary<string, Partner> Partners = new()
    {
        ["bh-riverside"] = new("bh-riverside", "Riverside BH", PartnerKind.BehavioralHealth, PartnerStatus.Active),
        ["housing-harbor"] = new("housing-harbor", "Harbor Housing", PartnerKind.Housing, PartnerStatus.Active),
        ["suspended-bh"] = new("suspended-bh", "Suspended BH", PartnerKind.BehavioralHealth, PartnerStatus.Suspended),
    };

    [Fact]
    public void Validate_CompleteReferral_HasNoIssues() =>
        Assert.Empty(Validator.Validate(ReferralTranslatorTests.Sample(), Partners));

    [Fact]
    public void Validate_EmptyReferral_ReportsEveryMissingFieldAtOnce()
    {
        var paths = Validator.Validate(new NativeReferral(), Partners).Select(i => i.Expression).ToHashSet();

        Assert.Superset(new HashSet<string?> { "referralId", "person", "needs", "urgency", "referringWorker.name", "consent" }, paths);
    }

    [Fact]
    public void Validate_SuspendedRecipient_IsRefused()
    {
        var referral = ReferralTranslatorTests.Sample(recipient: "suspended-bh") with
        {
            Consent = ReferralTranslatorTests.Sample().Consent! with { Recipients = ["suspended-bh"] },
        };

        Assert.Contains(Validator.Validate(referral, Partners), i => i.Expression == "recipient");
    }

    [Fact]
    public void Validate_ConsentWithoutExpiry_IsRefusedAtExpiresOn()
    {
        var referral = ReferralTranslatorTests.Sample() with
        {
            Consent = ReferralTranslatorTests.Sample().Consent! with { ExpiresOn = null },
        };

        Assert.Contains(Validator.Validate(referral, Partners), i => i.Expression == "consent.expiresOn");
    }

    [Fact]
    public void Validate_FutureBirthDate_IsRefused()
    {
        var referral = ReferralTranslatorTests.Sample() with
        {
            Person = ReferralTranslatorTests.Sample().Person! with { BirthDate = "2999-01-01" },
        };

        Assert.Contains(Validator.Validate(referral, Partners), i => i.Expression == "person.birthDate");
    }

    [Theory]
    [InlineData("2026-11-20")]
    [InlineData("2026-11-20T14:00")]
    [InlineData("2026-11-20T14:00:00")]
    public void Validate_SignedOnThatIsNotAnInstant_IsRefusedAtSignedOn(string signedOn)
    {
        var referral = ReferralTranslatorTests.Sample() with
        {
            Consent = ReferralTranslatorTests.Sample().Consent! with { SignedOn = signedOn },
        };

        Assert.Contains(Validator.Validate(referral, Partners), i => i.Expression == "consent.signedOn" && i.Code == "value");
    }

    [Theory]
    [InlineData("2026-11-20T14:00:00Z")]
    [InlineData("2026-11-20T14:00:00.123+02:00")]
    public void Validate_SignedOnAsAnInstant_IsAccepted(string signedOn)
    {
        var referral = ReferralTranslatorTests.Sample() with
        {
            Consent = ReferralTranslatorTests.Sample().Consent! with { SignedOn = signedOn },
        };

        Assert.Empty(Validator.Validate(referral, Partners));
    }
}
