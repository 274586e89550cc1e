namespace ReferralExchange.Gateway.Fhir;

/// <summary>The two FHIR encodings this gateway reads and writes (FHIR R4 http.html#mime, formats.html).</summary>
public enum FhirFormat
{
    Json,
    Xml,
}
