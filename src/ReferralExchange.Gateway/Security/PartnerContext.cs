using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Gateway.Security;

/// <summary>The authenticated partner of the current request.</summary>
public static class PartnerContext
{
    private const string Key = "ReferralExchange.Partner";

    public static void Set(HttpContext context, Partner partner) => context.Items[Key] = partner;

    public static Partner Current(this HttpContext context) =>
        context.Items[Key] as Partner
        ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "No registered partner certificate was presented");
}
