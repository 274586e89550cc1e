using Microsoft.AspNetCore.Http.Timeouts;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Errors;

/// <summary>
/// Which failures are refusals with their own status rather than internal errors: the domain's
/// typed errors, a request over its time (issue 13 §4: 503 with Retry-After, FHIR IssueType
/// <c>timeout</c>), a database that stayed locked past the busy timeout (IssueType <c>lock-error</c>),
/// and any failure once the database file is no longer the one opened (issue 13 §2).
/// </summary>
public static class ExceptionRefusals
{
    public static GatewayException? AsRefusal(HttpContext context, Exception error, DatabaseContention contention) => error switch
    {
        GatewayException refusal => refusal,
        OperationCanceledException when context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true =>
            GatewayException.Unavailable("timeout", "The request took longer than this gateway allows; try again shortly", contention.RetryAfter),
        _ when DatabaseContention.IsBusyError(error) => contention.Busy(),
        // Whatever a write did once the database file was replaced or removed, the answer is the guard's.
        _ when context.RequestServices.GetService<DatabaseFileGuard>() is { } file && !file.Check() => DatabaseFileGuard.Refusal(),
        _ => null,
    };
}
