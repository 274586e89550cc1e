using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Notifications;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>
/// What the operator may register for a partner: purposes of use within its kind's (so that no
/// registration can give a police unit a clinical purpose), and notification endpoints that are
/// https origins outside the gateway's own host unless development explicitly allows it.
/// </summary>
public static class PartnerRegistrationRules
{
    /// <summary>The purposes as bare codes; refuses unknown ones and ones the kind may not assert.</summary>
    public static List<string> Purposes(string kindCode, IEnumerable<string> purposes)
    {
        if (!PartnerKindCodes.TryParse(kindCode, out var kind)) throw new ArgumentException($"unknown kind '{kindCode}'");
        var rules = PurposeOfUseRules.Default;
        var allowed = rules.AllowedForKind(kind);
        var codes = new List<string>();
        foreach (var purpose in purposes)
        {
            var code = rules.Normalize(purpose.Trim()) ?? throw new ArgumentException($"unknown purpose '{purpose}' (one of {string.Join(", ", rules.Vocabulary)})");
            if (!allowed.Contains(code)) throw new ArgumentException($"a {kindCode} partner may not assert {code} (its kind allows {string.Join(", ", allowed)})");
            if (!codes.Contains(code)) codes.Add(code);
        }
        if (codes.Count == 0) throw new ArgumentException("name at least one purpose");
        return codes;
    }

    /// <summary>The origin to register for a notification endpoint URL.</summary>
    /// <param name="allowLocal">Development and tests only: the partner's server is on this very host.</param>
    public static string Origin(string url, bool allowLocal)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || NotificationOrigin.Of(uri) is not { } origin)
            throw new ArgumentException("a notification endpoint must be an absolute https URL without user info");
        if (!allowLocal && NotificationOrigin.IsLocal(uri))
            throw new ArgumentException("a notification endpoint may not be a loopback, link-local or localhost address (development: --allow-local)");
        return origin;
    }
}
