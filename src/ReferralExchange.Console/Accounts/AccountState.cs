using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// An account's lifecycle, kept in Identity's own fields so the accounts schema does not change:
/// no password hash yet = waiting for the person to set one through a one-time link; a
/// <see cref="DisabledClaim"/> user claim plus a lockout that never ends = disabled by an operator
/// (Identity's sign-in refuses it as locked out); a lockout end in the future without the claim =
/// locked after failed attempts.
/// </summary>
public static class AccountState
{
    /// <summary>A user claim (AspNetUserClaims): an operator disabled the account; the value is when (ISO 8601).</summary>
    public const string DisabledClaim = "rx:disabled";

    /// <summary>The Identity security stamp the session was made with; a changed stamp ends the session (<see cref="SessionValidation"/>).</summary>
    public const string StampClaim = "rx:stamp";

    public static async Task<bool> IsDisabledAsync(UserManager<ConsoleUser> users, ConsoleUser user) =>
        (await users.GetClaimsAsync(user)).Any(c => c.Type == DisabledClaim);

    public static bool IsLockedOut(ConsoleUser user, DateTimeOffset now) => user.LockoutEnd is { } end && end > now;

    public static bool AwaitsPassword(ConsoleUser user) => user.PasswordHash is null;

    /// <summary>Disables: the claim, a lockout without end, and a new security stamp (every session of the person ends at its next request).</summary>
    public static async Task<IdentityResult> DisableAsync(UserManager<ConsoleUser> users, ConsoleUser user, DateTimeOffset now)
    {
        if (!await IsDisabledAsync(users, user))
        {
            var added = await users.AddClaimAsync(user, new Claim(DisabledClaim, now.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
            if (!added.Succeeded) return added;
        }
        var locked = await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
        return locked.Succeeded ? await users.UpdateSecurityStampAsync(user) : locked;
    }

    public static async Task<IdentityResult> EnableAsync(UserManager<ConsoleUser> users, ConsoleUser user)
    {
        foreach (var claim in (await users.GetClaimsAsync(user)).Where(c => c.Type == DisabledClaim).ToList())
        {
            var removed = await users.RemoveClaimAsync(user, claim);
            if (!removed.Succeeded) return removed;
        }
        return await UnlockAsync(users, user);
    }

    public static async Task<IdentityResult> UnlockAsync(UserManager<ConsoleUser> users, ConsoleUser user)
    {
        var unlocked = await users.SetLockoutEndDateAsync(user, null);
        return unlocked.Succeeded ? await users.ResetAccessFailedCountAsync(user) : unlocked;
    }
}
