namespace ReferralExchange.Gateway.Logging;

/// <summary>
/// Gives each request an id: the caller's <c>X-Request-Id</c> when it is a plain token (so partners
/// can correlate), otherwise ours. Echoed in the response and attached to every log line.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var offered = context.Request.Headers[Header].ToString();
        if (offered.Length is > 0 and <= 64 && offered.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            context.TraceIdentifier = offered;
        }
        context.Response.Headers[Header] = context.TraceIdentifier;
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = context.TraceIdentifier }))
        {
            await next(context);
        }
    }
}
