using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// Content negotiation (FHIR R4 http.html#mime): <c>_format</c> overrides <c>Accept</c>; JSON when
/// neither says anything or the client takes anything; 406 when nothing the client accepts is
/// FHIR JSON or XML. The decision is made once per request and every writer asks for it.
/// </summary>
public static class FormatNegotiation
{
    private const string ItemKey = "ReferralExchange.FhirFormat";

    /// <summary>The <c>_format</c> values of http.html#mime (short forms and the FHIR and generic media types).</summary>
    private static readonly Dictionary<string, FhirFormat> FormatValues = new(StringComparer.OrdinalIgnoreCase)
    {
        ["json"] = FhirFormat.Json,
        ["application/fhir+json"] = FhirFormat.Json,
        ["application/json+fhir"] = FhirFormat.Json,
        ["application/json"] = FhirFormat.Json,
        ["xml"] = FhirFormat.Xml,
        ["application/fhir+xml"] = FhirFormat.Xml,
        ["application/xml+fhir"] = FhirFormat.Xml,
        ["application/xml"] = FhirFormat.Xml,
        ["text/xml"] = FhirFormat.Xml,
    };

    /// <summary>Decides the response format of this request, or throws NotAcceptable (406).</summary>
    public static FhirFormat Negotiate(HttpContext context)
    {
        var format = Resolve(context.Request);
        context.Items[ItemKey] = format;
        return format;
    }

    /// <summary>The negotiated format; JSON where nothing was negotiated (non-FHIR paths, or the 406 itself).</summary>
    public static FhirFormat Current(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is FhirFormat format ? format : FhirFormat.Json;

    /// <summary>Whether a request body's Content-Type is FHIR XML.</summary>
    public static bool IsXml(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType is not null && mediaType.Contains('/') && FormatValues.TryGetValue(mediaType, out var format) && format == FhirFormat.Xml;
    }

    private static FhirFormat Resolve(HttpRequest request)
    {
        var formats = request.Query["_format"];
        if (formats.Count > 0)
        {
            // An unencoded '+' reads as a space in a query string: _format=application/fhir+xml arrives as "application/fhir xml".
            var value = (formats[^1] ?? string.Empty).Split(';')[0].Trim().Replace(' ', '+');
            return FormatValues.TryGetValue(value, out var chosen) ? chosen : throw NotAcceptable("_format", "_format must be json, xml, application/fhir+json or application/fhir+xml");
        }
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return FhirFormat.Json;
        }
        // RFC 9110 §12.5.1: highest quality first; q=0 means "not acceptable". OrderBy is stable, so ties keep the client's order.
        foreach (var media in accept.Where(m => m.Quality is not 0).OrderByDescending(m => m.Quality ?? 1))
        {
            var type = media.MediaType.Value ?? string.Empty;
            if (type is "*/*" or "application/*")
            {
                return FhirFormat.Json;
            }
            if (type.Contains('/') && FormatValues.TryGetValue(type, out var format))
            {
                return format;
            }
        }
        throw NotAcceptable("Accept", "This server answers application/fhir+json or application/fhir+xml");
    }

    private static GatewayException NotAcceptable(string expression, string message) =>
        new(ErrorKind.NotAcceptable, "not-supported", message, expression);
}
