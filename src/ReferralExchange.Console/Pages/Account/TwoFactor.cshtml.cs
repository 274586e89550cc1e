using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>The TOTP second factor (RFC 6238, Identity's authenticator provider); failures count towards lockout.</summary>
public sealed class TwoFactorModel(SignInManager<ConsoleUser> signIn) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the code from your authenticator app"), RegularExpression("^[0-9 ]{6,7}$", ErrorMessage = "The code is 6 digits")]
    public string Code { get; set; } = "";

    /// <summary>One of the recovery codes shown at enrolment, instead of the app's code (each works once).</summary>
    [BindProperty, Display(Name = "Recovery code")]
    public string? RecoveryCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false);
        if (result.Succeeded) return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/");
        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a while."
            : "That code is not right. Codes change every 30 seconds.");
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryAsync()
    {
        ModelState.Remove(nameof(Code));
        if (string.IsNullOrWhiteSpace(RecoveryCode))
        {
            ModelState.AddModelError(nameof(RecoveryCode), "Enter one of your recovery codes");
            return Page();
        }
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(RecoveryCode.Trim().Replace(" ", "", StringComparison.Ordinal));
        if (result.Succeeded) return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/");
        ModelState.AddModelError(nameof(RecoveryCode), result.IsLockedOut
            ? "Too many failed attempts: this account is locked for a while."
            : "That recovery code is not right, or it was used already.");
        return Page();
    }
}
