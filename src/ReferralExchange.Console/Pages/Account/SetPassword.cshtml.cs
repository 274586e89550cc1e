using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.Account;

/// <summary>
/// A person sets their own password through the one-time link an operator handed them (a new
/// account, or a reset). The link's token travels back in the POSTed form, never in a redirect;
/// the page is <c>no-store</c> and sends no Referer (SecurityHeaders); nothing logs it. A used,
/// replaced or expired link is refused with the same plain message.
/// </summary>
public sealed class SetPasswordModel(SetPasswordLinks links, UserManager<ConsoleUser> users, AccountAudit audit, ILogger<SetPasswordModel> log) : PageModel
{
    [BindProperty(Name = SetPasswordLinks.Parameter, SupportsGet = true)]
    public string? Link { get; set; }

    [BindProperty, Required(ErrorMessage = "Choose a password"), DataType(DataType.Password), Display(Name = "New password")]
    public string NewPassword { get; set; } = "";

    [BindProperty, Required(ErrorMessage = "Type the password again"), DataType(DataType.Password), Display(Name = "New password again")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords are not the same")]
    public string ConfirmPassword { get; set; } = "";

    public string? UserName { get; private set; }
    public bool Refused { get; private set; }
    public bool Done { get; private set; }
    public int RequiredLength => users.Options.Password.RequiredLength;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await links.CheckAsync(Link) is not { } user) return RefusedPage();
        UserName = user.UserName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await links.CheckAsync(Link) is not { } account) return RefusedPage();
        UserName = account.UserName;
        if (!ModelState.IsValid) return Page();
        var (user, result) = await links.RedeemAsync(Link, NewPassword);
        if (user is null || result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) return RefusedPage();
        if (!result.Succeeded)
        {
            // Every rule the password missed, in one message beside the field (a field shows one message).
            ModelState.AddModelError(nameof(NewPassword), string.Join(" ", result.Errors.Select(e => e.Description)));
            return Page();
        }
        if (!await AccountState.IsDisabledAsync(users, user))
        {
            // Often the person was locked out by failed attempts: a password set through the operator's link starts afresh.
            await AccountState.UnlockAsync(users, user);
        }
        log.LogInformation("Console account password set through a one-time link");
        await audit.RecordOwnAsync(HttpContext, user, "console account password set through a one-time link");
        Done = true;
        Link = null;
        return Page();
    }

    private PageResult RefusedPage()
    {
        Refused = true;
        Link = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
