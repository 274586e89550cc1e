using Microsoft.AspNetCore.Http.Features;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Fhir;

namespace ReferralExchange.Gateway.Errors;

/// <summary>
/// Turns every failure into a FHIR OperationOutcome: domain errors with their own status and
/// issues; Kestrel's bad-request errors (body too large, malformed framing) with theirs; anything
/// unexpected as a 500 that names only the request id, never the exception.
/// </summary>
public sealed class OperationOutcomeMiddleware(RequestDelegate next, ILogger<OperationOutcomeMiddleware> logger, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context, IAuditTrail audit)
    {
        try
        {
            await next(context);
        }
        catch (GatewayException error) when (error.Kind == ErrorKind.IntegrityFailure)
        {
            // Stored data changed outside the gateway (ADR 0012): the operator must hear of it at once;
            // the log names only the resource type (identifiers stay in the audit trail), the audit
            // record of the failure names the version.
            logger.LogError("Integrity failure: a stored {ResourceType} version does not match the hash recorded when it was written; not served (request {RequestId}); run rx audit verify --resources",
                error.AuditedTarget?.Split('/')[0], context.TraceIdentifier);
            var status = ErrorStatus.Of(error.Kind);
            if (await AuditedAsync(context, audit, status, $"integrity-failure {error.AuditedTarget}"))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.From(error.Issues, context.TraceIdentifier));
            }
        }
        catch (GatewayException error)
        {
            logger.LogInformation("Request refused: {ErrorKind} {IssueCodes}", error.Kind, string.Join(",", error.Issues.Select(i => i.Code)));
            var status = ErrorStatus.Of(error.Kind);
            if (await AuditedAsync(context, audit, status, string.Join(",", error.Issues.Select(i => i.Code))))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.From(error.Issues, context.TraceIdentifier));
            }
        }
        catch (BadHttpRequestException error)
        {
            var status = error.StatusCode;
            var (code, message) = status == StatusCodes.Status413PayloadTooLarge
                ? ("too-long", "The request body is larger than this gateway accepts")
                : ("structure", "The request could not be read");
            logger.LogInformation("Bad HTTP request: {StatusCode}", status);
            if (await AuditedAsync(context, audit, status, code))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.Single(code, message, context.TraceIdentifier));
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (Exception error)
        {
            // Exception messages can quote data (SQL parameters, JSON fragments): log the type and
            // stack for the operator, tell the client only the request id.
            logger.LogError("Unhandled {ExceptionType} at {StackTrace}", error.GetType().FullName, error.StackTrace);
            await AuditedAsync(context, audit, StatusCodes.Status500InternalServerError, "exception");
            await WriteInternalErrorAsync(context);
        }
    }

    /// <summary>Records the failure; if even that fails, the answer becomes a 500 (no interaction goes unrecorded silently).</summary>
    private async Task<bool> AuditedAsync(HttpContext context, IAuditTrail audit, int status, string detail)
    {
        try
        {
            await audit.RecordAsync(FailureAudit.For(context, status, detail, time.GetUtcNow()), CancellationToken.None);
            return true;
        }
        catch (Exception auditFailure) when (context.RequestServices.GetService<ReferralExchange.Infrastructure.Audit.Witnesses.AuditIntegrityGuard>() is { IsCompromised: true })
        {
            // A trail that failed its integrity check (ADR 0013) may not even take appends (its
            // stored tree disagrees with its records); the refusal keeps its own status, and the log
            // line is its record until an operator has restored the trail.
            logger.LogError("Audit write failed for a refused request while the trail is untrusted: {ExceptionType}; answered {Status}", auditFailure.GetType().FullName, status);
            return true;
        }
        catch (Exception auditFailure)
        {
            logger.LogError("Audit write failed for a refused request: {ExceptionType}", auditFailure.GetType().FullName);
            await WriteInternalErrorAsync(context);
            return false;
        }
    }

    private static Task WriteInternalErrorAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError,
            OperationOutcomeFactory.Single("exception", $"An unexpected error occurred; quote request id {context.TraceIdentifier} to the operator", context.TraceIdentifier));

    private static async Task WriteAsync(HttpContext context, int status, Hl7.Fhir.Model.OperationOutcome outcome)
    {
        if (context.Response.HasStarted)
        {
            return;
        }
        // A Bearer challenge set by the token check (RFC 6750 §3) survives the clear; otherwise the
        // missing credential is the client certificate.
        var challenge = context.Response.Headers.WWWAuthenticate.ToString();
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = challenge.StartsWith("Bearer", StringComparison.Ordinal) ? challenge : "Mutual-TLS";
        }
        await FhirResults.WriteResourceAsync(context, outcome);
    }
}
