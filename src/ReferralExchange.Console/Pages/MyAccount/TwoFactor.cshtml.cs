using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.WebConsole.Pages.MyAccount;

/// <summary>
/// A person's own two-factor sign-in: set up (key, otpauth URI, QR code; on once a code proves the
/// app has it), recovery codes shown once, new recovery codes, and turning it off — not for
/// operators, who must keep it. Each change renews this session and ends the person's others.
/// </summary>
public sealed class TwoFactorModel(UserManager<ConsoleUser> users, TwoFactorEnrolment enrolment, AccountAudit audit) : PageModel
{
    [BindProperty, Required(ErrorMessage = "Enter the code from your authenticator app"), RegularExpression("^[0-9 ]{6,7}$", ErrorMessage = "The code is 6 digits")]
    [Display(Name = "Code from the app")]
    public string Code { get; set; } = "";

    public ConsoleUser Account { get; private set; } = null!;
    public TwoFactorEnrolment.Setup? Setup { get; private set; }
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string? Message { get; private set; }
    public bool IsOperator => CurrentAccount.IsOperator(User);

    public async Task OnGetAsync(string? done)
    {
        Account = await CurrentAccount.FindAsync(users, User);
        Message = done == "off" ? "Two-factor sign-in is off." : null;
        await PrepareSetupAsync(startOver: false);
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        Account = await CurrentAccount.FindAsync(users, User);
        if (Account.TwoFactorEnabled) return Redirect("/MyAccount/TwoFactor");
        if (ModelState.IsValid && await enrolment.ConfirmAsync(Account, Code) is { } codes)
        {
            await SessionValidation.RenewAsync(HttpContext, Account);
            await audit.RecordOwnAsync(HttpContext, Account, "console account two-factor turned on by its owner");
            // Shown in this answer only (no redirect that could show them again).
            RecoveryCodes = codes;
            return Page();
        }
        if (ModelState.IsValid) ModelState.AddModelError(nameof(Code), "That code is not right. Check the key in the app and try the newest code.");
        await PrepareSetupAsync(startOver: false);
        return Page();
    }

    public async Task<IActionResult> OnPostStartOverAsync()
    {
        Account = await CurrentAccount.FindAsync(users, User);
        if (Account.TwoFactorEnabled) return Redirect("/MyAccount/TwoFactor");
        ModelState.Clear();
        await PrepareSetupAsync(startOver: true);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        Account = await CurrentAccount.FindAsync(users, User);
        ModelState.Clear();
        if (!Account.TwoFactorEnabled) return Redirect("/MyAccount/TwoFactor");
        RecoveryCodes = await enrolment.NewRecoveryCodesAsync(Account);
        await audit.RecordOwnAsync(HttpContext, Account, "console account recovery codes renewed by its owner");
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        Account = await CurrentAccount.FindAsync(users, User);
        ModelState.Clear();
        if (IsOperator)
        {
            ModelState.AddModelError(string.Empty, "Operator accounts must keep two-factor sign-in.");
            return Page();
        }
        if (Account.TwoFactorEnabled)
        {
            await enrolment.DisableAsync(Account);
            await SessionValidation.RenewAsync(HttpContext, Account);
            await audit.RecordOwnAsync(HttpContext, Account, "console account two-factor turned off by its owner");
        }
        return Redirect("/MyAccount/TwoFactor?done=off");
    }

    private async Task PrepareSetupAsync(bool startOver)
    {
        if (Account.TwoFactorEnabled) return;
        var (setup, newKey) = await enrolment.SetupAsync(Account, startOver);
        Setup = setup;
        // A new key changed the account's security stamp: keep this session.
        if (newKey) await SessionValidation.RenewAsync(HttpContext, Account);
    }
}
