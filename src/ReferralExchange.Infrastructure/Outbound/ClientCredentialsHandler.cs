using System.Net.Http.Headers;
using System.Text.Json;

namespace ReferralExchange.Infrastructure.Outbound;

/// <summary>
/// What a partner system does before calling the API: obtain a certificate-bound access token
/// (client_credentials over the same mutual-TLS connection, RFC 8705 tls_client_auth) and send it
/// as a Bearer token; fetch a new one when it is about to expire. Used by our CLI, benchmark and tests.
/// </summary>
/// <param name="purposes">
/// Purposes of use to ask for (v3-ActReason codes, sent as <c>purpose_of_use</c>; the token's first
/// is used unless a request's <c>X-Purpose-Of-Use</c> picks another). None: the token gets the
/// partner's default purpose (purpose-of-use.json), which is what a partner with one purpose needs.
/// </param>
public sealed class ClientCredentialsHandler(string clientId, string tokenPath = "/connect/token", string? scope = null,
    IReadOnlyList<string>? purposes = null) : DelegatingHandler
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private string? _token;
    private DateTimeOffset _expires;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Headers.Authorization is null && request.RequestUri?.AbsolutePath != tokenPath)
        {
            var token = await TokenAsync(request.RequestUri!, ct);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
        return await base.SendAsync(request, ct);
    }

    private async Task<string?> TokenAsync(Uri anyUri, CancellationToken ct)
    {
        if (_token is not null && DateTimeOffset.UtcNow < _expires)
        {
            return _token;
        }
        await _lock.WaitAsync(ct);
        try
        {
            if (_token is not null && DateTimeOffset.UtcNow < _expires)
            {
                return _token;
            }
            var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId };
            if (scope is not null) form["scope"] = scope;
            if (purposes is { Count: > 0 }) form["purpose_of_use"] = string.Join(' ', purposes);
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(anyUri, tokenPath)) { Content = new FormUrlEncodedContent(form) };
            using var response = await base.SendAsync(tokenRequest, ct);
            if (!response.IsSuccessStatusCode)
            {
                // No token: the API answers 401 and the caller sees why.
                return null;
            }
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            _token = document.RootElement.GetProperty("access_token").GetString();
            _expires = DateTimeOffset.UtcNow.AddSeconds(document.RootElement.GetProperty("expires_in").GetInt32() - 30);
            return _token;
        }
        finally
        {
            _lock.Release();
        }
    }
}
