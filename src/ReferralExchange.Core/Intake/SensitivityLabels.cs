namespace ReferralExchange.Core.Intake;

/// <summary>
/// The HL7 sensitivity label (v3-ActCode, FHIR R4 §8.17 security labels) that stands for each
/// consent data class, so a consent's provision.securityLabel says which sensitive kinds it covers.
/// </summary>
public static class SensitivityLabels
{
    private static readonly Dictionary<string, string[]> ByDataClass = new()
    {
        ["mental-health"] = ["MH", "PSY"],
        // 42 CFR Part 2: ETH is the long-standing code, SUD the newer one; both are set so either
        // vocabulary matches.
        ["substance-use"] = ["ETH", "SUD"],
        ["domestic-violence"] = ["SDV"],
        ["hiv"] = ["HIV"],
    };

    public static IEnumerable<string> For(string dataClass) => ByDataClass.GetValueOrDefault(dataClass) ?? [];
}
