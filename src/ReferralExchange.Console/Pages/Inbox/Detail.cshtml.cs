using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Errors;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Inbox;

/// <summary>
/// One referral as an intake worker may see it (the consent gate decides, and the page says what
/// it withheld); accept or reject with a reason, claim an open referral, record the service
/// delivered and complete. Each action is the API's, through the Task state machine.
/// </summary>
public sealed class DetailModel(ReferralReading reading, TaskActions actions, PersonCaller callers, ILogger<DetailModel> log) : PageModel
{
    public static readonly string[] DeliveredServices = ["intake-appointment-attended", "treatment-started", "housing-placement-confirmed", "shelter-bed-provided", "veteran-services-enrolled", "service-provided"];

    public ReferralReading.Referral? Referral { get; private set; }

    /// <summary>
    /// Nothing of this referral may be shown: it does not exist, it is another partner's, or the
    /// person's consent withholds its main data class (or was revoked). One page for all of them.
    /// </summary>
    public bool Unavailable { get; private set; }
    public string? Message { get; private set; }

    [BindProperty, Display(Name = "Reason (required to reject)")]
    public string? Reason { get; set; }

    [BindProperty, Display(Name = "Service delivered")]
    public string? DeliveredService { get; set; }

    public bool IsOwner => Referral?.Task.Owner?.Reference == $"Organization/{User.FindFirst(Accounts.ConsoleClaims.Partner)?.Value}";

    public async Task<IActionResult> OnGetAsync(string taskId, string? done)
    {
        Message = done switch
        {
            "accepted" => "You accepted the referral.",
            "rejected" => "You rejected the referral; the referrer sees your reason.",
            "claimed" => "Your organization claimed the referral.",
            "delivered" => "The service delivered was recorded.",
            "completed" => "The referral is complete.",
            _ => null,
        };
        return await LoadAsync(taskId);
    }

    public Task<IActionResult> OnPostAcceptAsync(string taskId) => ActAsync(taskId, "accepted", c => actions.MoveAsync(c, taskId, "accepted", null, null, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostRejectAsync(string taskId)
    {
        if (string.IsNullOrWhiteSpace(Reason))
        {
            ModelState.AddModelError(nameof(Reason), "Give the reason for rejecting: the referrer and the person need it.");
        }
        return ActAsync(taskId, "rejected", c => actions.MoveAsync(c, taskId, "rejected", Reason, null, HttpContext.RequestAborted));
    }

    public Task<IActionResult> OnPostClaimAsync(string taskId) => ActAsync(taskId, "claimed", c => actions.ClaimAsync(c, taskId, HttpContext.RequestAborted));

    public Task<IActionResult> OnPostDeliveredAsync(string taskId)
    {
        if (DeliveredService is null || !DeliveredServices.Contains(DeliveredService))
        {
            ModelState.AddModelError(nameof(DeliveredService), "Choose the service delivered.");
        }
        return ActAsync(taskId, "delivered", async c =>
        {
            await actions.RecordDeliveryAsync(c, Referral!.Task, DeliveredService!, HttpContext.RequestAborted);
            await actions.MoveAsync(c, taskId, "completed", null, DeliveredService, HttpContext.RequestAborted);
        });
    }

    private async Task<IActionResult> ActAsync(string taskId, string done, Func<ReferralExchange.Core.Audit.Caller, Task> act)
    {
        var loaded = await LoadAsync(taskId);
        if (Referral is null || !ModelState.IsValid) return loaded;
        try
        {
            await act(await callers.ForAsync(HttpContext));
        }
        catch (GatewayException refused) when (refused.Kind is not (ErrorKind.Unavailable or ErrorKind.IntegrityFailure))
        {
            FormErrors.Add(ModelState, refused);
            return Page();
        }
        return Redirect($"/Inbox/{taskId}?done={done}");
    }

    private async Task<IActionResult> LoadAsync(string taskId)
    {
        try
        {
            Referral = await reading.OpenAsync(await callers.ForAsync(HttpContext), taskId, HttpContext.RequestAborted);
        }
        catch (GatewayException refused) when (refused.Kind is ErrorKind.NotFound or ErrorKind.Forbidden)
        {
            // As the API answers (ADR 0004, SECURITY.md): a referral the consent withholds is a 404
            // identical to a missing one, so the page may not say "withheld" for this referral —
            // that would tell the partner a referral about this person exists, and which class of
            // data it carries (42 CFR §2.13: even a person's presence in a program is protected).
            // The page says what is true of every 404 instead, the same words whatever the cause.
            // Issue codes only in the log: no content.
            log.LogInformation("Referral view refused: {Kind} {Codes}", refused.Kind, string.Join(",", refused.Issues.Select(i => i.Code)));
            Unavailable = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        return Page();
    }
}
