using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.MyAccount;

/// <summary>
/// A person's own account: who they are on the exchange, two-factor status, and changing their
/// password (the current one first; Identity's password rules, the messages beside the field).
/// Changing it ends the person's other sessions (new security stamp) and keeps this one.
/// </summary>
public sealed class IndexModel(UserManager<ConsoleUser> users, AccountAudit audit) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter your current password"), DataType(DataType.Password), Display(Name = "Current password")]
    public string CurrentPassword { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Choose a new password"), DataType(DataType.Password), Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Type the new password again"), DataType(DataType.Password), Display(Name = "New password again")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords are not the same")]
    public string ConfirmPassword { get; set; } = "";

    public ConsoleUser Account { get; private set; } = null!;
    public string? Message { get; private set; }
    public int RequiredLength => users.Options.Password.RequiredLength;

    public async Task OnGetAsync(string? done)
    {
        Account = await CurrentAccount.FindAsync(users, User);
        Message = done == "password" ? "Your password was changed. Your other sessions have ended." : null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Account = await CurrentAccount.FindAsync(users, User);
        if (!ModelState.IsValid) return Page();
        var result = await users.ChangePasswordAsync(Account, CurrentPassword, NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                // A wrong current password counts towards lockout, as at sign-in: an open session is not a free guess.
                await users.AccessFailedAsync(Account);
                ModelState.AddModelError(nameof(CurrentPassword), "That is not your current password.");
            }
            var rules = result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.PasswordMismatch)).Select(e => e.Description).ToList();
            if (rules.Count > 0) ModelState.AddModelError(nameof(NewPassword), string.Join(" ", rules));
            return Page();
        }
        await users.ResetAccessFailedCountAsync(Account);
        await SessionValidation.RenewAsync(HttpContext, Account);
        await audit.RecordOwnAsync(HttpContext, Account, "console account password changed by its owner");
        return Redirect("/MyAccount?done=password");
    }

    public string Organization => User.FindFirstValue(ConsoleClaims.Partner) ?? "";
    public string Kind => User.FindFirstValue(ConsoleClaims.Kind) ?? "";
}
