using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Reports;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Referrals;

/// <summary>The referral source's tracking view (the API's /referrals/tracking): delivered, not yet, overdue at a glance.</summary>
public sealed class IndexModel(GatewayCore core, PersonCaller callers) : PageModel
{
    public IReadOnlyList<ReferralTrackingService.TrackedReferral> Referrals { get; private set; } = [];
    public IReadOnlyDictionary<string, string> PartnerNames { get; private set; } = new Dictionary<string, string>();

    public async Task OnGetAsync()
    {
        var caller = await callers.ForAsync(HttpContext);
        Referrals = (await core.RunAsync(services => services.GetRequiredService<ReferralTrackingService>().TrackAsync(caller, false, HttpContext.RequestAborted)))
            .OrderByDescending(r => r.AuthoredOn).ToList();
        PartnerNames = (await core.RunAsync(services => services.GetRequiredService<IPartnerDirectory>().ListAsync(HttpContext.RequestAborted)))
            .ToDictionary(p => p.Reference, p => p.Name);
    }

    public static (string Css, string Text) Glance(ReferralTrackingService.TrackedReferral r) =>
        r.Delivered ? ("delivered", "Delivered") : r.Overdue ? ("overdue", "Overdue") : ("pending", "Not yet");
}
