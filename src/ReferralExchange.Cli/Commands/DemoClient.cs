using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ReferralExchange.Cli.Commands;

/// <summary>One partner's view of the running gateway for the demo: its certificate, JSON in and out.</summary>
internal sealed class DemoClient(Uri gateway, DirectoryInfo certs, string partnerId) : IDisposable
{
    private readonly HttpClient _http = Create(gateway, certs, partnerId);

    public string PartnerId { get; } = partnerId;

    public async Task<(int Status, JsonObject? Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    public async Task<(int Status, string Text)> GetTextAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, JsonObject? Body)> SendAsync(HttpMethod method, string path, JsonNode? body, string mediaType = "application/fhir+json", string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonObject?> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null;
    }

    private static HttpClient Create(Uri gateway, DirectoryInfo certs, string partnerId)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(certs.FullName, $"{partnerId}.pfx"), null);
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certs.FullName, "ca.crt"));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => Infrastructure.Certificates.CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        var client = new HttpClient(new Infrastructure.Outbound.ClientCredentialsHandler(partnerId) { InnerHandler = handler }) { BaseAddress = gateway };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return client;
    }

    public void Dispose() => _http.Dispose();
}
