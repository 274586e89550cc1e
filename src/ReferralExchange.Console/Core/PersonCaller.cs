using System.Security.Claims;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Core;

/// <summary>
/// The audited <see cref="Caller"/> of a signed-in person: their partner, read fresh on every action
/// (a suspended partner's staff are refused at once, as its system is), the purpose of use that
/// partner's own token would carry by default, and the person as the signed-in user (IHE BALP user
/// agent, requestor). A person can do no more than their partner's system could (issue 16 must-hold 1).
/// </summary>
public sealed class PersonCaller(GatewayCore core)
{
    /// <summary>Stands where a partner system's certificate thumbprint is: the person came through the console.</summary>
    public const string ConsoleChannel = "(console)";

    public async Task<Caller> ForAsync(HttpContext context)
    {
        var partnerId = context.User.FindFirstValue(ConsoleClaims.Partner)
            ?? throw new GatewayException(ErrorKind.NotAuthenticated, "security", "Sign in first");
        var partner = await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().FindAsync(partnerId, context.RequestAborted));
        if (partner is not { IsActive: true })
        {
            throw new GatewayException(ErrorKind.Forbidden, "security", "Your organization is not active on the exchange; ask the operator");
        }
        var purpose = PurposeOfUseRules.Default.DefaultFor(partner);
        return new Caller(
            partner,
            ConsoleChannel,
            context.TraceIdentifier,
            context.Connection.RemoteIpAddress?.ToString(),
            context.User.FindFirstValue(ConsoleClaims.DisplayName),
            purpose,
            purpose is null ? [] : [purpose],
            SignedInUser: context.User.Identity?.Name);
    }
}
