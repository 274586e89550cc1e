namespace ReferralExchange.Core.Partners;

/// <summary>The kinds of organisation in docs/domain.md ("Who is involved"); codes are in CodeSystem partner-kind.</summary>
/// <remarks><see cref="Operator"/> is the gateway operator's own client: it reads the audit trail, never referrals.</remarks>
public enum PartnerKind { PoliceSocialWork, BehavioralHealth, Housing, Veterans, Operator }

public static class PartnerKindCodes
{
    private static readonly Dictionary<PartnerKind, string> Codes = new()
    {
        [PartnerKind.PoliceSocialWork] = "police-social-work",
        [PartnerKind.BehavioralHealth] = "behavioral-health",
        [PartnerKind.Housing] = "housing",
        [PartnerKind.Veterans] = "veterans",
        [PartnerKind.Operator] = "operator",
    };

    public static string ToCode(this PartnerKind kind) => Codes[kind];

    public static bool TryParse(string? code, out PartnerKind kind)
    {
        foreach (var (k, c) in Codes)
        {
            if (c == code)
            {
                kind = k;
                return true;
            }
        }
        kind = default;
        return false;
    }

    /// <summary>Only a referral source may submit referrals (docs/domain.md: PSWs send, providers receive).</summary>
    public static bool IsReferralSource(this PartnerKind kind) => kind == PartnerKind.PoliceSocialWork;
}
