using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Partners;
using ReferralExchange.WebConsole.Accounts;
using ReferralExchange.WebConsole.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>
/// The operator manages people's accounts: list, create for a partner, disable and re-enable,
/// unlock, reset a password, reset two-factor. No operator ever chooses or sees a password: a new account and a
/// reset both get a one-time set-password link, shown once in this answer for the operator to hand
/// over. Every action goes to the audit trail as the operator (<see cref="AccountAudit"/>).
/// </summary>
public sealed class AccountsModel(UserManager<ConsoleUser> users, AccountsDbContext accounts, SetPasswordLinks links, TwoFactorEnrolment enrolment, AccountAudit audit,
    GatewayCore core, TimeProvider time, Hosting.ConsoleBuilder.ConsoleIssuer issuer) : PageModel
{
    public sealed record Row(ConsoleUser User, string Kind, string State, bool Locked, bool Disabled);

    /// <summary>A set-password link just issued: shown in this answer only.</summary>
    public sealed record IssuedLink(string UserName, string Url, DateTimeOffset Expires, bool NewAccount);

    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<Partner> Partners { get; private set; } = [];
    public IssuedLink? Issued { get; private set; }
    public string? Message { get; private set; }
    /// <summary>The operator's own account: not disabled or reset from here (My account changes one's own password).</summary>
    public string? Me => User.FindFirst(Claims.Subject)?.Value;

    [BindProperty, Display(Name = "User name")] public string? NewUserName { get; set; }
    [BindProperty, Display(Name = "Full name (shown in the audit trail)")] public string? NewDisplayName { get; set; }
    [BindProperty, Display(Name = "Email (optional, for your records; nothing is mailed)")] public string? NewEmail { get; set; }
    [BindProperty, Display(Name = "Organization")] public string? NewPartner { get; set; }

    public async Task OnGetAsync(string? done)
    {
        Message = done switch
        {
            "disabled" => "The account is disabled; its sessions have ended.",
            "enabled" => "The account is enabled again.",
            "unlocked" => "The account is unlocked.",
            "two-factor-reset" => "Two-factor sign-in of the account is off; it can be set up again (operators must, at their next sign-in).",
            _ => null,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var partner = string.IsNullOrWhiteSpace(NewPartner) ? null
            : await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().FindAsync(NewPartner.Trim(), HttpContext.RequestAborted));
        if (string.IsNullOrWhiteSpace(NewUserName)) ModelState.AddModelError(nameof(NewUserName), "Give the person a user name, for example jdoe@" + (NewPartner ?? "partner") + ".");
        if (string.IsNullOrWhiteSpace(NewDisplayName)) ModelState.AddModelError(nameof(NewDisplayName), "Give the person's full name.");
        if (!string.IsNullOrWhiteSpace(NewEmail) && !new EmailAddressAttribute().IsValid(NewEmail.Trim())) ModelState.AddModelError(nameof(NewEmail), "That is not an email address.");
        if (partner is null) ModelState.AddModelError(nameof(NewPartner), "Choose the organization the person works for.");
        else if (partner.Status == PartnerStatus.Revoked) ModelState.AddModelError(nameof(NewPartner), "That organization is revoked; it can have no new accounts.");
        if (!ModelState.IsValid) return await PageAsync();

        var user = new ConsoleUser
        {
            UserName = NewUserName!.Trim(),
            DisplayName = NewDisplayName!.Trim(),
            Email = string.IsNullOrWhiteSpace(NewEmail) ? null : NewEmail.Trim(),
            PartnerId = partner!.Id,
            LockoutEnabled = true,
        };
        // No password: the account waits for its owner to set one through the link.
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors) ModelState.AddModelError(nameof(NewUserName), error.Description);
            return await PageAsync();
        }
        await audit.RecordAsync(HttpContext, user, AccountAudit.AccountCreated + $" for {partner.Id} ({partner.Kind.ToCode()})");
        await IssueAsync(user, newAccount: true);
        ModelState.Clear();
        NewUserName = NewDisplayName = NewEmail = NewPartner = null;
        return await PageAsync();
    }

    public async Task<IActionResult> OnPostResetAsync(string id)
    {
        if (await FindAsync(id) is not { } user) return NotFound();
        if (user.Id == User.FindFirst(Claims.Subject)?.Value)
        {
            ModelState.AddModelError(string.Empty, "Change your own password on My account.");
            return await PageAsync();
        }
        // The old password stops working now (and the person's sessions end): only the link sets a new one.
        if (await users.HasPasswordAsync(user)) Ensure(await users.RemovePasswordAsync(user));
        await audit.RecordAsync(HttpContext, user, AccountAudit.PasswordReset);
        await IssueAsync(user, newAccount: false);
        return await PageAsync();
    }

    public async Task<IActionResult> OnPostDisableAsync(string id)
    {
        if (await FindAsync(id) is not { } user) return NotFound();
        if (user.Id == User.FindFirst(Claims.Subject)?.Value)
        {
            ModelState.AddModelError(string.Empty, "You cannot disable your own account; ask another operator.");
            return await PageAsync();
        }
        Ensure(await AccountState.DisableAsync(users, user, time.GetUtcNow()));
        await audit.RecordAsync(HttpContext, user, AccountAudit.AccountDisabled);
        return Redirect("/Operator/Accounts?done=disabled");
    }

    public async Task<IActionResult> OnPostEnableAsync(string id)
    {
        if (await FindAsync(id) is not { } user) return NotFound();
        Ensure(await AccountState.EnableAsync(users, user));
        await audit.RecordAsync(HttpContext, user, AccountAudit.AccountEnabled);
        return Redirect("/Operator/Accounts?done=enabled");
    }

    /// <summary>For a person who lost both the phone and the recovery codes: two-factor off and its key forgotten; an operator is led to enrol again at sign-in.</summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync(string id)
    {
        if (await FindAsync(id) is not { } user) return NotFound();
        if (user.Id == User.FindFirst(Claims.Subject)?.Value)
        {
            ModelState.AddModelError(string.Empty, "Manage your own two-factor sign-in on My account.");
            return await PageAsync();
        }
        await enrolment.DisableAsync(user);
        await audit.RecordAsync(HttpContext, user, AccountAudit.TwoFactorReset);
        return Redirect("/Operator/Accounts?done=two-factor-reset");
    }

    public async Task<IActionResult> OnPostUnlockAsync(string id)
    {
        if (await FindAsync(id) is not { } user) return NotFound();
        if (await AccountState.IsDisabledAsync(users, user))
        {
            ModelState.AddModelError(string.Empty, "That account is disabled, not locked: enable it instead.");
            return await PageAsync();
        }
        Ensure(await AccountState.UnlockAsync(users, user));
        await audit.RecordAsync(HttpContext, user, AccountAudit.AccountUnlocked);
        return Redirect("/Operator/Accounts?done=unlocked");
    }

    private async Task IssueAsync(ConsoleUser user, bool newAccount)
    {
        var link = await links.IssueAsync(user);
        var lifetime = HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<DataProtectionTokenProviderOptions>>().Value.TokenLifespan;
        Issued = new IssuedLink(user.UserName ?? user.Id, SetPasswordLinks.Url(issuer.Uri, link), time.GetUtcNow() + lifetime, newAccount);
    }

    private async Task<ConsoleUser?> FindAsync(string? id) => string.IsNullOrEmpty(id) ? null : await users.FindByIdAsync(id);

    private async Task<IActionResult> PageAsync()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        Partners = await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(HttpContext.RequestAborted));
        var kinds = Partners.ToDictionary(p => p.Id, p => p.Kind.ToCode());
        var disabled = (await accounts.UserClaims.Where(c => c.ClaimType == AccountState.DisabledClaim).Select(c => c.UserId).ToListAsync(HttpContext.RequestAborted)).ToHashSet();
        var now = time.GetUtcNow();
        var all = await accounts.Users.AsNoTracking().ToListAsync(HttpContext.RequestAborted);
        Rows = all.OrderBy(u => u.PartnerId, StringComparer.Ordinal).ThenBy(u => u.UserName, StringComparer.Ordinal).Select(u =>
        {
            var isDisabled = disabled.Contains(u.Id);
            var locked = !isDisabled && AccountState.IsLockedOut(u, now);
            var state = isDisabled ? "disabled"
                : locked ? $"locked until {u.LockoutEnd!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC"
                : AccountState.AwaitsPassword(u) ? "waiting for password"
                : "active";
            return new Row(u, kinds.GetValueOrDefault(u.PartnerId, "unknown"), state, locked, isDisabled);
        }).ToList();
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException("The account could not be changed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
    }
}
