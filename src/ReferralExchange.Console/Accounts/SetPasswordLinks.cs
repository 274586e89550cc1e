using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// One-time, short-lived links with which a person sets their own password: for a new account, and
/// after an operator's reset. The secret in the link is Identity's password-reset token (data
/// protection, bound to the account's security stamp, <c>Console:SetPasswordLinkLifetime</c>):
/// <list type="bullet">
/// <item>one-time: setting the password changes the security stamp, so the token no longer validates;</item>
/// <item>only the newest: issuing a link changes the stamp first, so any earlier link dies;</item>
/// <item>never stored, mailed or logged: it is shown once to the operator, who hands it over; the
/// set-password page answers with <c>no-store</c> and <c>Referrer-Policy: no-referrer</c>, and
/// posts the token back in its form.</item>
/// </list>
/// </summary>
public sealed class SetPasswordLinks(UserManager<ConsoleUser> users)
{
    public const string Path = "/Account/SetPassword";
    public const string Parameter = "link";

    /// <summary>Ends every earlier link and session of the account, then issues a new link's secret.</summary>
    public async Task<string> IssueAsync(ConsoleUser user)
    {
        Ensure(await users.UpdateSecurityStampAsync(user));
        var token = await users.GeneratePasswordResetTokenAsync(user);
        return user.Id + "." + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
    }

    public static string Url(Uri baseAddress, string link) => new Uri(baseAddress, $"{Path}?{Parameter}={link}").ToString();

    /// <summary>The account a link is for, if its token still validates (not used, not expired, not replaced).</summary>
    public async Task<ConsoleUser?> CheckAsync(string? link)
    {
        if (Decode(link) is not var (userId, token) || await users.FindByIdAsync(userId) is not { } user) return null;
        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<ConsoleUser>.ResetPasswordTokenPurpose, token);
        return valid ? user : null;
    }

    /// <summary>Sets the password through the link: Identity's password rules apply; the link is spent on success.</summary>
    public async Task<(ConsoleUser? User, IdentityResult Result)> RedeemAsync(string? link, string password)
    {
        if (Decode(link) is not var (userId, token) || await users.FindByIdAsync(userId) is not { } user)
        {
            return (null, IdentityResult.Failed(users.ErrorDescriber.InvalidToken()));
        }
        var result = await users.ResetPasswordAsync(user, token, password);
        return (user, result);
    }

    private static (string UserId, string Token)? Decode(string? link)
    {
        if (string.IsNullOrEmpty(link) || link.Length > 2048 || link.Split('.', 2) is not [var userId, var encoded] || userId.Length == 0) return null;
        try
        {
            return (userId, Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(encoded)));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("The account could not be changed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
