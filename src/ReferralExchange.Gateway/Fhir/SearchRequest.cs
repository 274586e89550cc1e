using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// The parameters of a search as name/value pairs in the order given: from the query string, and
/// for <c>POST [type]/_search</c> also from the form-encoded body (FHIR R4 http.html#search:
/// both carry parameters, with the same meaning).
/// </summary>
public static class SearchRequest
{
    public static List<KeyValuePair<string, string>> FromQuery(HttpRequest request) =>
        request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();

    public static async Task<List<KeyValuePair<string, string>>> FromQueryAndFormAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (!string.Equals(mediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw new GatewayException(ErrorKind.UnsupportedMediaType, "not-supported",
                "POST _search takes its parameters as application/x-www-form-urlencoded", "Content-Type");
        }
        var parameters = FromQuery(request);
        var form = await request.ReadFormAsync(ct);
        parameters.AddRange(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))));
        return parameters;
    }
}
