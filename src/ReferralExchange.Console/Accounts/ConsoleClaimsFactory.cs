using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ReferralExchange.Core.Partners;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>Puts the person's partner, its kind and their display name into the session at sign-in.</summary>
public sealed class ConsoleClaimsFactory(UserManager<ConsoleUser> users, IOptions<IdentityOptions> options, GatewayCore core)
    : UserClaimsPrincipalFactory<ConsoleUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ConsoleUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var partner = await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().FindAsync(user.PartnerId));
        identity.AddClaim(new Claim(ConsoleClaims.Partner, user.PartnerId));
        identity.AddClaim(new Claim(ConsoleClaims.DisplayName, user.DisplayName));
        if (partner is not null)
        {
            identity.AddClaim(new Claim(ConsoleClaims.Kind, partner.Kind.ToCode()));
        }
        return identity;
    }
}
