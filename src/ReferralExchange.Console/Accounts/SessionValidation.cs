using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// Every request of a console session checks the account it was made for: still there, not
/// disabled, and with the security stamp the session was made with. Identity changes the stamp
/// when the password is set or changed, two-factor is turned on or off, or an operator disables
/// the account or issues a set-password link; so a disabled person's open session ends at its next
/// request, not when its cookie would have expired. One indexed read of the accounts database.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<ConsoleUser>>();
        var principal = context.Principal;
        var user = principal?.FindFirstValue(Claims.Subject) is { } id ? await users.FindByIdAsync(id) : null;
        if (user is null
            || principal!.FindFirstValue(AccountState.StampClaim) != user.SecurityStamp
            || await AccountState.IsDisabledAsync(users, user))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(PeopleSignIn.SessionScheme);
            // The sign-in server's own session (Identity's cookie) ends too, or it would mint a new session at once.
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    /// <summary>After the person changed their own account (a new stamp): this session goes on with the new stamp, every other one ends.</summary>
    public static async Task RenewAsync(HttpContext context, ConsoleUser user)
    {
        var current = await context.AuthenticateAsync(PeopleSignIn.SessionScheme);
        if (current.Principal?.Identity is not ClaimsIdentity identity) return;
        var renewed = new ClaimsIdentity(identity.Claims.Where(c => c.Type != AccountState.StampClaim), identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        renewed.AddClaim(new Claim(AccountState.StampClaim, user.SecurityStamp ?? ""));
        await context.SignInAsync(PeopleSignIn.SessionScheme, new ClaimsPrincipal(renewed), current.Properties);
        var signIn = context.RequestServices.GetRequiredService<SignInManager<ConsoleUser>>();
        if ((await context.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Succeeded)
        {
            await signIn.RefreshSignInAsync(user);
        }
    }
}
