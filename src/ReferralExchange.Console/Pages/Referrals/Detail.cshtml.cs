using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Errors;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Referrals;

/// <summary>One referral as its source sees it: the status timeline, and recording the person's revocation of consent.</summary>
public sealed class DetailModel(ReferralReading reading, TaskActions actions, PersonCaller callers) : PageModel
{
    public ReferralReading.Referral? Referral { get; private set; }
    public IReadOnlyList<ReferralReading.TimelineStep> Timeline { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(string taskId, int? created, int? revoked)
    {
        Message = created == 1 ? "The referral was sent." : revoked == 1 ? "The person's revocation was recorded: the referral cannot proceed." : null;
        return await LoadAsync(taskId);
    }

    public async Task<IActionResult> OnPostRevokeAsync(string taskId)
    {
        var caller = await callers.ForAsync(HttpContext);
        var result = await LoadAsync(taskId);
        if (Referral?.ConsentId is not { } consentId) return result;
        try
        {
            await actions.RevokeConsentAsync(caller, consentId, HttpContext.RequestAborted);
        }
        catch (GatewayException refused) when (refused.Kind is ErrorKind.Conflict or ErrorKind.Unprocessable or ErrorKind.BadRequest or ErrorKind.Forbidden)
        {
            FormErrors.Add(ModelState, refused);
            return Page();
        }
        return Redirect($"/Referrals/{taskId}?revoked=1");
    }

    private async Task<IActionResult> LoadAsync(string taskId)
    {
        var caller = await callers.ForAsync(HttpContext);
        try
        {
            Referral = await reading.OpenAsync(caller, taskId, HttpContext.RequestAborted);
            Timeline = await reading.TimelineAsync(caller, taskId, HttpContext.RequestAborted);
        }
        catch (GatewayException refused) when (refused.Kind is ErrorKind.NotFound or ErrorKind.Forbidden)
        {
            return NotFound();
        }
        return Page();
    }
}
