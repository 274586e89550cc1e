using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>Signing out is a POST with the antiforgery token: a link elsewhere cannot sign anyone out.</summary>
public sealed class SignOutModel(SignInManager<ConsoleUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Both sessions: the console's (from the code exchange) and the sign-in server's (Identity).
        await HttpContext.SignOutAsync(PeopleSignIn.SessionScheme);
        await signIn.SignOutAsync();
        return RedirectToPage();
    }
}
