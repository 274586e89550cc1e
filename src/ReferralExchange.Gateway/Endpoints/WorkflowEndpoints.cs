using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Reports;
using ReferralExchange.Core.Tasks;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// Closing the loop: claiming open referrals, recording proof of delivery, the referral source's
/// tracking view and the operator's de-identified outcome report.
/// </summary>
public static class WorkflowEndpoints
{
    public static void MapWorkflowEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/fhir/Task/{id}/$claim", async (HttpContext context, string id, TaskClaimService claims) =>
        {
            var stored = await claims.ClaimAsync(context.Caller(), id, context.RequestAborted);
            await FhirResults.WriteStoredAsync(context, stored);
        }).Declares(FhirInteraction.InstanceOperation("Task", "claim", "A partner of the referral's category takes an unassigned (open) Task: it becomes the owner"));

        app.MapPost("/fhir/Procedure", async (HttpContext context, RequestBodyReader reader, ProcedureService procedures) =>
        {
            var body = await reader.ReadJsonAsync(context.Request, context.RequestAborted);
            var stored = await procedures.CreateAsync(context.Caller(), FhirJson.Parse<Procedure>(body), context.RequestAborted);
            context.Response.Headers.Location = $"{FhirResults.BaseUrl(context.Request)}/Procedure/{stored.Id}/_history/1";
            await FhirResults.WriteWrittenAsync(context, stored, StatusCodes.Status201Created);
        }).WithBody(BodyKind.Resource).Declares(FhirInteraction.On("create", "Procedure"));

        app.MapGet("/referrals/tracking", async (HttpContext context, ReferralTrackingService tracking, bool? overdue) =>
        {
            var caller = context.Caller();
            if (!caller.Partner.Kind.IsReferralSource())
            {
                throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Tracking is the referral source's view");
            }
            return Results.Json(await tracking.TrackAsync(caller, overdue == true, context.RequestAborted));
        });

        app.MapGet("/operator/reports/outcomes", async (HttpContext context, OutcomeReportService reports, string? format) =>
        {
            var caller = context.Caller();
            if (caller.Partner.Kind != PartnerKind.Operator)
            {
                throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the gateway operator may read program outcomes");
            }
            var rows = await reports.BuildAsync(caller, context.RequestAborted);
            return format == "csv"
                ? Results.Text(OutcomeReportService.ToCsv(rows), "text/csv")
                : Results.Json(rows.Select(r => new
                {
                    r.Partner, r.Category, r.Month,
                    sent = r.Sent.ToString(), accepted = r.Accepted.ToString(), rejected = r.Rejected.ToString(), completed = r.Completed.ToString(),
                    r.MedianHoursToAccept, r.MedianHoursToComplete,
                }));
        });
    }
}
