using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Partners;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>The operator's partner registry: onboard, suspend, reinstate (the registry rx partner uses, audited as the operator).</summary>
public sealed class PartnersModel(GatewayCore core, PersonCaller callers) : PageModel
{
    public IReadOnlyList<Partner> Partners { get; private set; } = [];
    public string? Message { get; private set; }

    [BindProperty, Display(Name = "Partner id (lower-case letters, digits, hyphens)")] public string? NewId { get; set; }
    [BindProperty, Display(Name = "Organization name")] public string? NewName { get; set; }
    [BindProperty, Display(Name = "Kind")] public string? NewKind { get; set; }

    public async Task OnGetAsync(string? done)
    {
        Message = done is null ? null : $"Partner {done}.";
        await LoadAsync();
    }

    public Task<IActionResult> OnPostSuspendAsync(string partnerId) => SetStatusAsync(partnerId, "suspended");

    public Task<IActionResult> OnPostReinstateAsync(string partnerId) => SetStatusAsync(partnerId, "active");

    public async Task<IActionResult> OnPostOnboardAsync()
    {
        if (string.IsNullOrWhiteSpace(NewId)) ModelState.AddModelError(nameof(NewId), "Give the partner an id.");
        if (string.IsNullOrWhiteSpace(NewName)) ModelState.AddModelError(nameof(NewName), "Give the organization's name.");
        if (!PartnerKindCodes.TryParse(NewKind, out _)) ModelState.AddModelError(nameof(NewKind), "Choose the kind of organization.");
        if (ModelState.IsValid && !await TryAsync(registry => registry.AddAsync(NewId!.Trim(), NewName!.Trim(), NewKind!, null, HttpContext.RequestAborted), nameof(NewId)))
        {
            ModelState.AddModelError(string.Empty, "The partner was not onboarded.");
        }
        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }
        return Redirect("/Operator/Partners?done=onboarded");
    }

    private async Task<IActionResult> SetStatusAsync(string partnerId, string status)
    {
        if (!await TryAsync(registry => registry.SetStatusAsync(partnerId, status, HttpContext.RequestAborted), string.Empty))
        {
            await LoadAsync();
            return Page();
        }
        return Redirect($"/Operator/Partners?done={(status == "active" ? "reinstated" : status)}");
    }

    private async Task<bool> TryAsync(Func<PartnerRegistry, Task> act, string field)
    {
        var caller = await callers.ForAsync(HttpContext);
        try
        {
            await core.RunAsync(services =>
            {
                var registry = ActivatorUtilities.CreateInstance<PartnerRegistry>(services);
                registry.Actor = caller;
                return act(registry);
            });
            return true;
        }
        catch (ArgumentException refused)
        {
            // The registry's own rule messages (id format, unknown partner, revoked is final).
            ModelState.AddModelError(field, refused.Message);
            return false;
        }
    }

    private async Task LoadAsync() =>
        Partners = await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(HttpContext.RequestAborted));
}
