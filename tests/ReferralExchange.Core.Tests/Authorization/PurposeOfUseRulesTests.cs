using System.Text.Json;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Profiles;

namespace ReferralExchange.Core.Tests.Authorization;

/// <summary>Which purposes of use a partner may put in its tokens (purpose-of-use.json).</summary>
public sealed class PurposeOfUseRulesTests
{
    private static readonly PurposeOfUseRules Rules = PurposeOfUseRules.Default;

    private static Partner Of(PartnerKind kind, params string[] registered) =>
        new("p", "P", kind, PartnerStatus.Active) { Purposes = registered };

    [Fact]
    public void Vocabulary_IsTheConsentPurposeValueSet()
    {
        // One vocabulary: a consent can name every purpose a token can carry, and no other.
        var path = Path.Combine(ProfilePackage.Locate(AppContext.BaseDirectory), "ValueSet-consent-purpose.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var include = document.RootElement.GetProperty("compose").GetProperty("include")[0];
        Assert.Equal(Rules.System, include.GetProperty("system").GetString());
        Assert.Equal(Rules.Vocabulary.Order(), include.GetProperty("concept").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).Order());
    }

    [Theory]
    [InlineData("TREAT", "TREAT")]
    [InlineData("urn:oid:2.16.840.1.113883.5.8#HPAYMT", "HPAYMT")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-ActReason#CAREMGT", "CAREMGT")]
    [InlineData("urn:oid:1.2.3#TREAT", null)]
    [InlineData("treat", null)]
    [InlineData("MARKETING", null)]
    [InlineData("", null)]
    public void Normalize_AcceptsBareCodesAndTheUdapUriForm(string value, string? expected) =>
        Assert.Equal(expected, Rules.Normalize(value));

    [Fact]
    public void Grant_NothingAsked_GivesTheKindsDefault()
    {
        Assert.Equal(["TREAT"], Rules.Grant(Of(PartnerKind.BehavioralHealth), [])!);
        Assert.Equal(["CAREMGT"], Rules.Grant(Of(PartnerKind.Housing), [])!);
        Assert.Equal(["HOPERAT"], Rules.Grant(Of(PartnerKind.Operator), [])!);
    }

    [Fact]
    public void Grant_APurposeOutsideTheKind_IsRefused()
    {
        Assert.Null(Rules.Grant(Of(PartnerKind.Housing), ["TREAT"]));
        Assert.Null(Rules.Grant(Of(PartnerKind.PoliceSocialWork), ["CAREMGT", "HPAYMT"]));
    }

    [Fact]
    public void Grant_RegisteredPurposes_NarrowTheKindsAndMoveTheDefault()
    {
        var payments = Of(PartnerKind.BehavioralHealth, "HPAYMT");
        Assert.Null(Rules.Grant(payments, ["TREAT"]));
        Assert.Equal(["HPAYMT"], Rules.Grant(payments, [])!);
    }

    [Fact]
    public void Grant_RegisteredPurposeOutsideTheKind_GivesNothing()
    {
        // A registration cannot widen the kind: a police unit registered for TREAT still cannot have it.
        Assert.Null(Rules.Grant(Of(PartnerKind.PoliceSocialWork, "TREAT"), ["TREAT"]));
        Assert.Null(Rules.Grant(Of(PartnerKind.PoliceSocialWork, "TREAT"), []));
    }

    [Fact]
    public void Grant_KeepsTheOrderAsked()
    {
        Assert.Equal(["ETREAT", "TREAT"], Rules.Grant(Of(PartnerKind.Veterans), ["ETREAT", "urn:oid:2.16.840.1.113883.5.8#TREAT", "ETREAT"])!);
    }
}
