using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// The purposes of use a token request names. A <c>private_key_jwt</c> client names them as the UDAP
/// Security IG §5.3 B2B Authorization Extension Object does: <c>extensions.hl7-b2b.purpose_of_use</c>
/// (array of strings, <c>version</c> "1") in its client assertion. A <c>tls_client_auth</c> client
/// has no assertion; it sends the same vocabulary as the <c>purpose_of_use</c> request parameter
/// (space-delimited like <c>scope</c>, RFC 6749 §3.3). Naming none asks for the partner's default.
/// </summary>
public static class RequestedPurposes
{
    public const string Parameter = "purpose_of_use";
    public const string ExtensionKey = "hl7-b2b";

    public static (IReadOnlyList<string> Purposes, string? Error) From(OpenIddictRequest request)
    {
        // StringValues: one value, or several when the parameter is repeated.
        var fromParameter = ((Microsoft.Extensions.Primitives.StringValues)request.GetParameter(Parameter))
            .SelectMany(v => (v ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var (fromAssertion, error) = request.ClientAssertion is { } assertion ? FromAssertion(assertion) : ([], null);
        if (error is not null)
        {
            return ([], error);
        }
        if (fromParameter.Count > 0 && fromAssertion.Count > 0)
        {
            // Two statements of the authorization context could disagree; accept exactly one.
            return ([], "name the purposes of use either in the client assertion's hl7-b2b extension or as purpose_of_use, not both");
        }
        return (fromAssertion.Count > 0 ? fromAssertion : fromParameter, null);
    }

    /// <summary>OpenIddict has verified the assertion's signature against the partner's key before the passthrough runs.</summary>
    private static (IReadOnlyList<string>, string?) FromAssertion(string assertion)
    {
        try
        {
            var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(assertion.Split('.')[1]));
            using var document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("extensions", out var extensions) || extensions.ValueKind != JsonValueKind.Object
                || !extensions.TryGetProperty(ExtensionKey, out var b2b))
            {
                return ([], null);
            }
            if (b2b.ValueKind != JsonValueKind.Object
                || !b2b.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "1"
                || !b2b.TryGetProperty("purpose_of_use", out var purposes) || purposes.ValueKind != JsonValueKind.Array || purposes.GetArrayLength() == 0
                || purposes.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.String))
            {
                return ([], "the hl7-b2b extension needs version \"1\" and purpose_of_use, an array of one or more strings (UDAP IG §5.3)");
            }
            return (purposes.EnumerateArray().Select(p => p.GetString()!).ToList(), null);
        }
        catch (Exception e) when (e is JsonException or FormatException or IndexOutOfRangeException or ArgumentException)
        {
            return ([], "the client assertion cannot be read");
        }
    }
}
