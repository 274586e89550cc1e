using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// A FHIR resource body in either encoding (FHIR R4 http.html#mime). XML is parsed strictly and
/// handed on as FHIR JSON, so validation, profiles and storage see one form only.
/// </summary>
public static class FhirRequestBody
{
    public static readonly string[] MediaTypes =
        [.. RequestBodyReader.FhirJson, "application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml"];

    public static async Task<string> ReadJsonAsync(this RequestBodyReader reader, HttpRequest request, CancellationToken ct)
    {
        var body = await reader.ReadAsync(request, MediaTypes, ct);
        return FormatNegotiation.IsXml(request.ContentType) ? FhirXml.ToJson(body) : body;
    }
}
