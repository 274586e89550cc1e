namespace ReferralExchange.Gateway.Fhir;

/// <summary>What a create or update answers with (FHIR R4 http.html#ins, RFC 7240 <c>return=</c>).</summary>
public enum ReturnPreference
{
    Representation,
    Minimal,
    OperationOutcome,
}

/// <summary>
/// The RFC 7240 Prefer header as FHIR R4 uses it: <c>return=minimal|representation|OperationOutcome</c>
/// (http.html#ins) and <c>handling=strict|lenient</c> for search parameters (search.html#errors).
/// </summary>
public static class PreferHeader
{
    public const string AppliedHeader = "Preference-Applied";

    public static ReturnPreference Return(HttpRequest request) => Value(request, "return") switch
    {
        "minimal" => ReturnPreference.Minimal,
        "OperationOutcome" => ReturnPreference.OperationOutcome,
        _ => ReturnPreference.Representation,
    };

    /// <summary>Strict: an unknown or unsupported search parameter is an error; lenient (the default): it is ignored.</summary>
    public static bool StrictHandling(HttpRequest request) => Value(request, "handling") == "strict";

    private static string? Value(HttpRequest request, string name) =>
        request.Headers["Prefer"]
            .SelectMany(header => (header ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(preference => preference.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2 && pair[0].Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Trim('"'))
            .LastOrDefault();
}
