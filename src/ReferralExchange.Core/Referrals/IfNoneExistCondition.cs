using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Referrals;

/// <summary>
/// The search criteria of a conditional create (FHIR R4 §3.1.0.8, If-None-Exist). Referrals are
/// matched by identifier only: <c>identifier=system|value</c>.
/// </summary>
public sealed record IfNoneExistCondition(string System, string Value)
{
    public static IfNoneExistCondition Parse(string criteria, string expression)
    {
        var text = criteria.StartsWith('?') ? criteria[1..] : criteria;
        const string prefix = "identifier=";
        if (!text.StartsWith(prefix, StringComparison.Ordinal) || text.Contains('&'))
        {
            throw GatewayException.BadRequest("If-None-Exist supports exactly one criterion: identifier=system|value", expression);
        }
        var token = Uri.UnescapeDataString(text[prefix.Length..]);
        var bar = token.IndexOf('|');
        if (bar <= 0 || bar == token.Length - 1)
        {
            throw GatewayException.BadRequest("If-None-Exist identifier must be system|value", expression);
        }
        return new IfNoneExistCondition(token[..bar], token[(bar + 1)..]);
    }
}
