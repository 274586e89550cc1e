using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Gateway.Fhir;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Errors;

/// <summary>
/// Turns every failure into a FHIR OperationOutcome: domain errors with their own status and
/// issues; Kestrel's bad-request errors (body too large, malformed framing) with theirs; a busy
/// database or a request over its time as 503 with Retry-After (<see cref="ExceptionRefusals"/>);
/// anything unexpected as a 500 that names only the request id, never the exception.
/// </summary>
public sealed class OperationOutcomeMiddleware(RequestDelegate next, ILogger<OperationOutcomeMiddleware> logger, TimeProvider time,
    DatabaseContention contention, IDeferredAuditTrail deferred)
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
            if (await AuditedAsync(context, audit, status, $"integrity-failure {error.AuditedTarget}", defer: false))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.From(error.Issues, context.TraceIdentifier), null);
            }
        }
        catch (BadHttpRequestException error)
        {
            var status = error.StatusCode;
            var (code, message) = status == StatusCodes.Status413PayloadTooLarge
                ? ("too-long", "The request body is larger than this gateway accepts")
                : ("structure", "The request could not be read");
            logger.LogInformation("Bad HTTP request: {StatusCode}", status);
            if (await AuditedAsync(context, audit, status, code, defer: false))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.Single(code, message, context.TraceIdentifier), null);
            }
        }
        catch (Exception error) when (ExceptionRefusals.AsRefusal(context, error, contention) is { } refusal)
        {
            logger.LogInformation("Request refused: {ErrorKind} {IssueCodes}", refusal.Kind, string.Join(",", refusal.Issues.Select(i => i.Code)));
            var status = ErrorStatus.Of(refusal.Kind);
            // The database is what is missing: its record of this refusal waits for it (IDeferredAuditTrail).
            if (await AuditedAsync(context, audit, status, string.Join(",", refusal.Issues.Select(i => i.Code)), defer: refusal.AuditWaitsForDatabase))
            {
                await WriteAsync(context, status, OperationOutcomeFactory.From(refusal.Issues, context.TraceIdentifier), refusal.RetryAfter);
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
            await AuditedAsync(context, audit, StatusCodes.Status500InternalServerError, "exception", defer: false);
            await WriteInternalErrorAsync(context);
        }
    }

    /// <summary>
    /// Records the failure. If that fails because the database is away, the record is deferred and
    /// the answer becomes a 503; if it fails otherwise, a 500 (no interaction goes unrecorded silently).
    /// </summary>
    private async Task<bool> AuditedAsync(HttpContext context, IAuditTrail audit, int status, string detail, bool defer)
    {
        var record = FailureAudit.For(context, status, detail, time.GetUtcNow());
        if (defer)
        {
            deferred.RecordLater(record);
            return true;
        }
        try
        {
            await audit.RecordAsync(record, CancellationToken.None);
            return true;
        }
        catch (Exception auditFailure) when (ExceptionRefusals.AsRefusal(context, auditFailure, contention) is { Kind: ErrorKind.Unavailable } unavailable)
        {
            deferred.RecordLater(FailureAudit.For(context, StatusCodes.Status503ServiceUnavailable, $"{detail},{unavailable.Issues[0].Code}", time.GetUtcNow()));
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                OperationOutcomeFactory.From(unavailable.Issues, context.TraceIdentifier), unavailable.RetryAfter);
            return false;
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
            OperationOutcomeFactory.Single("exception", $"An unexpected error occurred; quote request id {context.TraceIdentifier} to the operator", context.TraceIdentifier), null);

    private static async Task WriteAsync(HttpContext context, int status, Hl7.Fhir.Model.OperationOutcome outcome, TimeSpan? retryAfter)
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
        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            // The rest of the body is never read, so this connection cannot carry another request;
            // saying so lets the client open a new one instead of failing on this one (RFC 9110 §15.5.14).
            context.Response.Headers.Connection = "close";
        }
        if (retryAfter is { } wait)
        {
            // RFC 9110 §10.2.3: delay-seconds.
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await FhirResults.WriteOutcomeAsync(context, outcome);
    }
}
