using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Partners;
using ReferralExchange.WebConsole.Accounts;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>
/// Password sign-in with ASP.NET Core Identity: hashed passwords, lockout after failed attempts, and
/// the second factor where the account has one. An operator account without two-factor gets no
/// session (issue 16 must-hold 2: the operator can suspend partners and re-drive notifications):
/// its right password leads only to enrolling an authenticator, after which it signs in with the code.
/// </summary>
public sealed class SignInModel(SignInManager<ConsoleUser> signIn, UserManager<ConsoleUser> users, GatewayCore core, ILogger<SignInModel> log) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your user name"), Display(Name = "User name")]
    public string UserName { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Enter your password"), DataType(DataType.Password)]
    public string Password { get; set; } = "";

    /// <summary>Where to go on: the authorization request that sent the person here (local URLs only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var next = ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";
        if (!ModelState.IsValid) return Page();
        var user = await users.FindByNameAsync(UserName);
        Microsoft.AspNetCore.Identity.SignInResult result;
        if (user is not null && !user.TwoFactorEnabled && await IsOperatorAsync(user))
        {
            // An operator without a second factor gets no session from the password alone: the
            // password is checked (failures count towards lockout) and leads only to enrolment.
            result = await signIn.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
            if (result.Succeeded)
            {
                log.LogInformation("Operator sign-in: second factor not enrolled, sent to enrolment");
                var pending = new ClaimsIdentity([new Claim(OpenIddictConstants.Claims.Subject, user.Id)], PeopleSignIn.EnrolmentScheme);
                await HttpContext.SignInAsync(PeopleSignIn.EnrolmentScheme, new ClaimsPrincipal(pending));
                return RedirectToPage("/Account/EnrolTwoFactor", new { ReturnUrl = next == "/" ? null : next });
            }
        }
        else
        {
            result = await signIn.PasswordSignInAsync(UserName, Password, isPersistent: false, lockoutOnFailure: true);
            if (result.RequiresTwoFactor) return RedirectToPage("/Account/TwoFactor", new { ReturnUrl = next == "/" ? null : next });
            if (result.Succeeded) return LocalRedirect(next);
        }
        if (result.IsLockedOut && user is not null && await AccountState.IsDisabledAsync(users, user))
        {
            log.LogWarning("Console sign-in refused: account disabled");
            ModelState.AddModelError(string.Empty, "This account is disabled. Ask your operator.");
        }
        else if (result.IsLockedOut)
        {
            log.LogWarning("Console sign-in refused: account locked out");
            ModelState.AddModelError(string.Empty, "Too many failed attempts: this account is locked for a while. Try again later or ask the operator.");
        }
        else
        {
            ModelState.AddModelError(string.Empty, "The user name or password is not right.");
        }
        return Page();
    }

    private async Task<bool> IsOperatorAsync(ConsoleUser user) =>
        (await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().FindAsync(user.PartnerId)))?.Kind == PartnerKind.Operator;
}
