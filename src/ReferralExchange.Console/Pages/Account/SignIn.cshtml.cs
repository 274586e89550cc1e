using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Partners;
using ReferralExchange.WebConsole.Accounts;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>
/// Password sign-in with ASP.NET Core Identity: hashed passwords, lockout after failed attempts, and
/// the second factor where the account has one. An operator account without two-factor is refused
/// (issue 16 must-hold 2): the operator can suspend partners and re-drive notifications.
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
        if (user is not null && await IsOperatorAsync(user) && !user.TwoFactorEnabled)
        {
            log.LogWarning("Operator sign-in refused: no second factor enrolled");
            ModelState.AddModelError(string.Empty, "Operator accounts must have two-factor sign-in. Ask another operator to enrol an authenticator for you.");
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(UserName, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor) return RedirectToPage("/Account/TwoFactor", new { ReturnUrl = next == "/" ? null : next });
        if (result.Succeeded) return LocalRedirect(next);
        if (result.IsLockedOut)
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
