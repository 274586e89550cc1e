using System.Globalization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>Parses If-Match (FHIR R4 §3.1.0.5: <c>W/"23"</c>) into a version id.</summary>
public static class IfMatchHeader
{
    public static int? Parse(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }
        var text = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        text = text.Trim('"');
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new GatewayException(ErrorKind.PreconditionFailed, "invalid", "If-Match must be a version ETag such as W/\"2\"", "If-Match");
    }
}
