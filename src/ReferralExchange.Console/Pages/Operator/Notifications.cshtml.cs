using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Notifications;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>Undelivered notifications (dead letters) and their re-drive, as the operator API does it.</summary>
public sealed class NotificationsModel(GatewayCore core, PersonCaller callers, TimeProvider time) : PageModel
{
    public IReadOnlyList<NotificationSummary> Dead { get; private set; } = [];
    public string? Message { get; private set; }

    public async Task OnGetAsync(int? redriven)
    {
        Message = redriven is { } count ? $"{count} notification(s) re-driven." : null;
        Dead = await core.RunAsync(services => services.GetRequiredService<INotificationStore>().ListAsync(NotificationStatus.Dead, 200, HttpContext.RequestAborted));
    }

    public async Task<IActionResult> OnPostRedriveAsync(string? deliveryId)
    {
        var actor = AuditRecord.For(await callers.ForAsync(HttpContext), AuditActions.Update, AuditOutcome.Success, time.GetUtcNow());
        var redriven = await core.RunAsync(services => services.GetRequiredService<NotificationRedriveService>()
            .RedriveAsync(actor, string.IsNullOrEmpty(deliveryId) ? null : deliveryId, HttpContext.RequestAborted));
        return Redirect($"/Operator/Notifications?redriven={redriven.Count}");
    }
}
