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
}
