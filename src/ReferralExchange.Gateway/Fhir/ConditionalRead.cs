using ReferralExchange.Core.Storage;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// Conditional read (FHIR R4 http.html#cread): <c>If-None-Match</c> naming the current version's
/// weak ETag, or <c>If-Modified-Since</c> not before its lastUpdated, answers 304 Not Modified.
/// </summary>
public static class ConditionalRead
{
    public static bool NotModified(HttpRequest request, StoredResource stored)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var noneMatch = request.Headers.IfNoneMatch;
        if (noneMatch.Count > 0)
        {
            // RFC 9110 §13.1.2: weak comparison; If-Modified-Since is ignored when If-None-Match is present.
            return noneMatch.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                .Any(tag => tag == "*" || Opaque(tag) == Opaque(stored.ETag));
        }
        // HTTP dates carry whole seconds; lastUpdated carries milliseconds.
        return request.GetTypedHeaders().IfModifiedSince is { } since
            && stored.LastUpdated.UtcTicks / TimeSpan.TicksPerSecond <= since.UtcTicks / TimeSpan.TicksPerSecond;
    }

    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
}
