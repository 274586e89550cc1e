using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using ReferralExchange.WebConsole.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.WebConsole.Pages.MyAccount;

/// <summary>The signed-in person's own account, from the session's subject (the account id).</summary>
public static class CurrentAccount
{
    public static async Task<ConsoleUser> FindAsync(UserManager<ConsoleUser> users, ClaimsPrincipal principal) =>
        principal.FindFirstValue(Claims.Subject) is { } id && await users.FindByIdAsync(id) is { } user
            ? user
            // SessionValidation ends a session whose account is gone before a page runs; this is the belt to its braces.
            : throw new InvalidOperationException("The session names no account");

    public static bool IsOperator(ClaimsPrincipal principal) => principal.FindFirstValue(ConsoleClaims.Kind) == "operator";
}
