using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Gateway.Fhir.Capabilities;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The audit trail over HTTP: <c>GET /fhir/AuditEvent</c> (own actions; the operator sees all),
/// the accounting of disclosures for one person, and the operator's verification and checkpoint endpoints.
/// </summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/fhir/AuditEvent", FhirEndpoints.GetOrHead, async (HttpContext context, AuditEventService audit) =>
        {
            var parameters = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();
            await FhirResults.WriteResourceAsync(context, await audit.SearchAsync(context.Caller(), parameters, PreferHeader.StrictHandling(context.Request), FhirResults.BaseUrl(context.Request), context.RequestAborted));
        }).Declares(FhirInteraction.Search("AuditEvent", AuditEventSearchParameters.All));
        app.MapMethods("/fhir/AuditEvent/{id}", FhirEndpoints.GetOrHead, async (HttpContext context, string id, AuditEventService audit) =>
            await FhirResults.WriteResourceAsync(context, await audit.ReadAsync(context.Caller(), id, context.RequestAborted)))
            .Declares(FhirInteraction.On("read", "AuditEvent"));
        app.MapMethods("/fhir/Patient/{id}/$accounting-of-disclosures", FhirEndpoints.GetOrHead, async (HttpContext context, string id, AuditEventService audit) =>
            await FhirResults.WriteResourceAsync(context, await audit.AccountingOfDisclosuresAsync(context.Caller(), id, FhirResults.BaseUrl(context.Request), context.RequestAborted)))
            .Declares(FhirInteraction.InstanceOperation("Patient", "accounting-of-disclosures", "The referral source's accounting of a patient's disclosures (42 CFR §2.24, HIPAA §164.528): a searchset of BALP AuditEvents"));

        var operatorGroup = app.MapGroup("/operator/audit");
        operatorGroup.MapGet("/verify", async (HttpContext context, AuditVerificationService verification, string? mode) =>
        {
            EnsureOperator(context);
            var report = await verification.VerifyAsync(mode == "incremental", context.RequestAborted);
            return Results.Json(report, statusCode: report.IsIntact ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        });
        operatorGroup.MapPost("/checkpoints", async (HttpContext context, AuditCheckpointer checkpointer) =>
        {
            EnsureOperator(context);
            AuditCheckpoint? checkpoint;
            try
            {
                checkpoint = await checkpointer.CheckpointAsync(context.RequestAborted);
            }
            catch (CheckpointLeaseHeldException held)
            {
                // One replica signs at a time (ADR 0020): the operator asks again later, or asks that one.
                throw new GatewayException(ErrorKind.Conflict, "conflict", $"Another replica is signing checkpoints (its lease runs until {held.Until:O})");
            }
            catch (KeyVaultException error)
            {
                // The signer is outside the gateway: say what failed, and that nothing was lost.
                return Results.Json(new { error = error.Message, status = error.Status, pendingRecordsKept = true }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return checkpoint is null
                ? Results.NoContent()
                : Results.Json(new { checkpoint.Sequence, checkpoint.HeadHash, checkpoint.SignedAt, checkpoint.KeyId }, statusCode: StatusCodes.Status201Created);
        });
    }

    private static void EnsureOperator(HttpContext context)
    {
        if (context.Current().Kind != PartnerKind.Operator)
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "Only the gateway operator may do this");
        }
    }
}
