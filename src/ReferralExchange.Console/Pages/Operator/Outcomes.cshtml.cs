using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Reports;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>
/// The de-identified outcome report (the API's /operator/reports/outcomes, audited there): cells of
/// 1–10 referrals are suppressed by the same service, and the chart draws a suppressed cell as
/// "&lt;11", never as a bar of its true height.
/// </summary>
public sealed class OutcomesModel(GatewayCore core, PersonCaller callers) : PageModel
{
    public IReadOnlyList<OutcomeReportService.Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var caller = await callers.ForAsync(HttpContext);
        Rows = await core.RunAsync(services => services.GetRequiredService<OutcomeReportService>().BuildAsync(caller, HttpContext.RequestAborted));
    }
}
