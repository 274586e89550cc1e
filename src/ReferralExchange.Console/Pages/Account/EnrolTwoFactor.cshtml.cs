using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>
/// An operator whose account has no second factor yet (a new operator account, or the seeded one
/// without a key): the right password brought them here, with a ten-minute enrolment cookie and no
/// session. They add the key to an authenticator app and prove it with a code; two-factor is then
/// on, the recovery codes are shown once, and they are signed in with both factors.
/// </summary>
public sealed class EnrolTwoFactorModel(UserManager<ConsoleUser> users, SignInManager<ConsoleUser> signIn, TwoFactorEnrolment enrolment,
    AccountAudit audit) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the code from your authenticator app"), RegularExpression("^[0-9 ]{6,7}$", ErrorMessage = "The code is 6 digits")]
    [Display(Name = "Code from the app")]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public TwoFactorEnrolment.Setup? Setup { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string Next => ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";

    public async Task<IActionResult> OnGetAsync()
    {
        if (await PendingAsync() is not { } user) return RedirectToPage("/Account/SignIn");
        Setup = (await enrolment.SetupAsync(user, startOver: false)).Setup;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await PendingAsync() is not { } user) return RedirectToPage("/Account/SignIn");
        if (ModelState.IsValid && await enrolment.ConfirmAsync(user, Code) is { } codes)
        {
            await HttpContext.SignOutAsync(PeopleSignIn.EnrolmentScheme);
            // Password a moment ago, and now a code from the enrolled authenticator: both factors.
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(ConsoleClaims.AuthenticationMethod, "mfa")]);
            await audit.RecordOwnAsync(HttpContext, user, "console account two-factor enrolled at sign-in");
            RecoveryCodes = codes;
            return Page();
        }
        if (ModelState.IsValid) ModelState.AddModelError(nameof(Code), "That code is not right. Check the key in the app and try the newest code.");
        Setup = (await enrolment.SetupAsync(user, startOver: false)).Setup;
        return Page();
    }

    /// <summary>The account the enrolment cookie names, if it still needs enrolment and nothing changed since the password was checked.</summary>
    private async Task<ConsoleUser?> PendingAsync()
    {
        var pending = await HttpContext.AuthenticateAsync(PeopleSignIn.EnrolmentScheme);
        if (pending.Principal?.FindFirstValue(OpenIddictConstants.Claims.Subject) is not { } id || await users.FindByIdAsync(id) is not { } user) return null;
        if (user.TwoFactorEnabled || AccountState.AwaitsPassword(user) || await AccountState.IsDisabledAsync(users, user)) return null;
        return user;
    }
}
