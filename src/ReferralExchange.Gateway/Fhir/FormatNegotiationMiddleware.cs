namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// Negotiates the format of every request under <c>/fhir</c> before anything else answers, so that
/// errors (401, 403, 404 ...) come back in the format the client asked for, and an unacceptable
/// one is a 406 OperationOutcome (in JSON) before any work is done.
/// </summary>
public sealed class FormatNegotiationMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/fhir"))
        {
            FormatNegotiation.Negotiate(context);
        }
        return next(context);
    }
}
