using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Builds the audited <see cref="Caller"/> of a request: the authenticated partner, its certificate,
/// the request id and source address, and what the partner states about the request: the staff
/// member acting (<c>X-Acting-Person</c>) and the purpose of use (<c>X-Purpose-Of-Use</c>, v3-ActReason).
/// </summary>
public static class CallerContext
{
    public const string ActingPersonHeader = "X-Acting-Person";
    public const string PurposeOfUseHeader = "X-Purpose-Of-Use";
    private static readonly HashSet<string> Purposes = ["TREAT", "ETREAT", "HOPERAT", "CAREMGT"];

    public static Caller Caller(this HttpContext context)
    {
        var partner = context.Current();
        var purpose = context.Request.Headers[PurposeOfUseHeader].ToString();
        if (purpose.Length > 0 && !Purposes.Contains(purpose))
        {
            throw GatewayException.BadRequest("X-Purpose-Of-Use must be one of TREAT, ETREAT, HOPERAT, CAREMGT", PurposeOfUseHeader);
        }
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
            purpose.Length == 0 ? null : purpose);
    }

    public static string ThumbprintOf(HttpContext context) =>
        context.Connection.ClientCertificate is { } certificate ? CertificateThumbprint.Sha256(certificate) : "(none)";
}
