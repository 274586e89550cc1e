using System.Text;
using Microsoft.AspNetCore.Identity;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// TOTP two-factor (RFC 6238) with Identity's authenticator provider: a key, shown as text, as an
/// otpauth:// URI and as a QR code; turned on only once a code from the app proves it was added;
/// recovery codes generated then and shown once (Identity's store keeps them in AspNetUserTokens;
/// each works once). Operators cannot turn it off (issue 16 must-hold 2).
/// </summary>
public sealed class TwoFactorEnrolment(UserManager<ConsoleUser> users)
{
    public const string Issuer = "Referral Exchange";
    public const int RecoveryCodeCount = 8;

    public sealed record Setup(string Key, string FormattedKey, string Uri, string QrSvg);

    /// <summary>The key being enrolled: the one already issued while two-factor is still off, or a new one.</summary>
    public async Task<(Setup Setup, bool NewKey)> SetupAsync(ConsoleUser user, bool startOver)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        var newKey = false;
        if (startOver || string.IsNullOrEmpty(key))
        {
            Ensure(await users.ResetAuthenticatorKeyAsync(user));
            key = await users.GetAuthenticatorKeyAsync(user);
            newKey = true;
        }
        var uri = AuthenticatorQrCode.Uri(Issuer, user.UserName ?? user.Id, key!);
        return (new Setup(key!, Format(key!), uri, AuthenticatorQrCode.Svg(uri)), newKey);
    }

    /// <summary>Turns two-factor on if the code matches the key; the recovery codes are returned once, never again.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(ConsoleUser user, string code)
    {
        var digits = code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits)) return null;
        Ensure(await users.SetTwoFactorEnabledAsync(user, true));
        return (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];
    }

    /// <summary>Turns two-factor off and forgets the key (a later enrolment gets a new one).</summary>
    public async Task DisableAsync(ConsoleUser user)
    {
        Ensure(await users.SetTwoFactorEnabledAsync(user, false));
        Ensure(await users.ResetAuthenticatorKeyAsync(user));
    }

    public async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(ConsoleUser user) =>
        (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))?.ToList() ?? [];

    private static string Format(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0) text.Append(' ');
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return text.ToString();
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("Two-factor could not be changed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
