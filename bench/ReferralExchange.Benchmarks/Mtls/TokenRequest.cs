using System.Text.Json;

namespace ReferralExchange.Benchmarks.Mtls;

/// <summary>
/// The client_credentials request a partner makes over its mutual-TLS connection (RFC 8705 §2.1
/// tls_client_auth). Extra form parameters (for example <c>purpose_of_use=TREAT</c>) come from the
/// command line, so the bench keeps working when the token endpoint asks for more.
/// </summary>
public sealed record TokenRequest(string ClientId, IReadOnlyDictionary<string, string> ExtraParameters, string Path = "/connect/token")
{
    public IReadOnlyDictionary<string, string> Form()
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = ClientId };
        foreach (var (name, value) in ExtraParameters) form[name] = value;
        return form;
    }

    /// <summary>The form as one url-encoded body (what the outside generator posts).</summary>
    public string EncodedForm() => string.Join('&', Form().Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    public async Task<string> FetchAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.PostAsync(Path, new FormUrlEncodedContent(Form()), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token request for {ClientId} answered {(int)response.StatusCode}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException($"token response for {ClientId} has no access_token");
    }

    /// <summary>Parses repeated <c>name=value</c> options.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(IEnumerable<string>? pairs) =>
        (pairs ?? []).Select(p => p.Split('=', 2)).ToDictionary(
            p => p[0],
            p => p.Length == 2 ? p[1] : throw new ArgumentException($"token parameter '{p[0]}' needs the form name=value"));
}
