using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.WebConsole.Core;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.WebConsole.Pages.Inbox;

/// <summary>A partner's inbox: the referrals it owns, and open referrals it may claim (the API's Task search).</summary>
public sealed class IndexModel(ReferralReading reading, PersonCaller callers) : PageModel
{
    public IReadOnlyList<FhirTask> Owned { get; private set; } = [];
    public IReadOnlyList<FhirTask> Open { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var caller = await callers.ForAsync(HttpContext);
        (Owned, Open) = await reading.InboxAsync(caller, HttpContext.RequestAborted);
    }

    public static string Status(FhirTask task) => task.Status?.ToString().ToLowerInvariant() ?? "unknown";
}
