using Microsoft.AspNetCore.Mvc.RazorPages;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.WebConsole.Core;

namespace ReferralExchange.WebConsole.Pages.Operator;

/// <summary>The audit trail's verification (the operator API's /operator/audit/verify) and the witnesses' last status.</summary>
public sealed class AuditModel(GatewayCore core, PersonCaller callers) : PageModel
{
    public AuditVerificationReport? Report { get; private set; }
    public IReadOnlyDictionary<string, string>? FailingWitnesses { get; private set; }

    public async Task OnGetAsync()
    {
        await callers.ForAsync(HttpContext);
        Report = await core.RunAsync(services => services.GetRequiredService<AuditVerificationService>().VerifyAsync(false, HttpContext.RequestAborted));
        FailingWitnesses = core.Root.GetService<WitnessPublisher>()?.Failing;
    }
}
