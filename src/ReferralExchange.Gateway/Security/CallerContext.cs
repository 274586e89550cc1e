using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Builds the audited <see cref="Caller"/> of a request: the authenticated partner, its certificate,
/// the request id and source address, the staff member it names (<c>X-Acting-Person</c>, recorded,
/// not authenticated) and the purpose of use. The purpose comes from the access token, which the
/// partner obtained for it (UDAP IG §5.3 hl7-b2b <c>purpose_of_use</c>): the token's first purpose,
/// or the one <c>X-Purpose-Of-Use</c> picks among the token's. A header can narrow, never widen.
/// </summary>
public static class CallerContext
{
    public const string ActingPersonHeader = "X-Acting-Person";
    public const string PurposeOfUseHeader = "X-Purpose-Of-Use";

    public static Caller Caller(this HttpContext context)
    {
        var partner = context.Current();
        var granted = TokenPurposes.Of(context)
            ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "A valid access token is required", "Authorization");
        var purpose = PurposeOf(context, granted);
        var person = context.Request.Headers[ActingPersonHeader].ToString();
        if (person.Length > 128 || person.Any(char.IsControl))
        {
            throw GatewayException.BadRequest("X-Acting-Person must be a name of at most 128 characters", ActingPersonHeader);
        }
        return new Caller(
            partner,
            ThumbprintOf(context),
            context.TraceIdentifier,
            context.Connection.RemoteIpAddress?.ToString(),
            person.Length == 0 ? null : person,
            purpose,
            granted);
    }

    private static string PurposeOf(HttpContext context, IReadOnlyList<string> granted)
    {
        var stated = context.Request.Headers[PurposeOfUseHeader].ToString();
        if (stated.Length == 0)
        {
            return granted[0];
        }
        var rules = PurposeOfUseRules.Default;
        var code = rules.Normalize(stated)
            ?? throw GatewayException.BadRequest($"X-Purpose-Of-Use must be one of {string.Join(", ", rules.Vocabulary)}", PurposeOfUseHeader);
        return granted.Contains(code)
            ? code
            : throw new GatewayException(ErrorKind.Forbidden, "forbidden",
                $"X-Purpose-Of-Use may only narrow to a purpose the access token carries ({string.Join(", ", granted)}); request a token for {code}", PurposeOfUseHeader);
    }

    public static string ThumbprintOf(HttpContext context) =>
        context.Connection.ClientCertificate is { } certificate ? CertificateThumbprint.Sha256(certificate) : "(none)";
}
