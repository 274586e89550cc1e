using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>The API requires a valid access token bound to the connection's client certificate, and the scopes for each interaction.</summary>
public sealed class AccessTokenTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Request_WithoutToken_Answers401()
    {
        using var raw = RawClient(GatewayFixture.BehavioralHealth);

        var response = await raw.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenOfPartnerA_OnPartnerBsConnection_IsRefused()
    {
        var stolen = await TokenAsync(GatewayFixture.BehavioralHealth);
        using var housing = RawClient(GatewayFixture.Housing);
        housing.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stolen);

        var response = await housing.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_UsedWithAnotherCertificateOfTheSamePartner_IsRefused()
    {
        var token = await TokenAsync(GatewayFixture.BehavioralHealth);
        // A second certificate registered to the same partner (as during a rotation): the token stays bound to the first.
        using var ca = gateway.Certificates.LoadCa();
        using var second = ca.IssueClient(GatewayFixture.BehavioralHealth, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.Combine(gateway.RootDirectory, $"second-{Guid.NewGuid():N}.crt");
        await File.WriteAllTextAsync(pem, second.ExportCertificatePem());
        Assert.Equal(0, await ReferralExchange.Cli.CliApp.RunAsync(["partner", "register-cert", "--id", GatewayFixture.BehavioralHealth, "--cert", pem, "--database", gateway.DatabasePath], new StringWriter()));
        using var other = RawClientWith(second);
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await other.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WithForgedSignature_IsRefused()
    {
        var token = await TokenAsync(GatewayFixture.BehavioralHealth);
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        using var client = RawClient(GatewayFixture.BehavioralHealth);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}")).StatusCode);
    }

    [Fact]
    public async Task Token_WithTamperedClaims_IsRefused()
    {
        var token = await TokenAsync(GatewayFixture.BehavioralHealth);
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Decode(parts[1]))!;
        payload["scope"] = "system/*.cruds";
        var tampered = $"{parts[0]}.{Encode(payload.ToJsonString())}.{parts[2]}";
        using var client = RawClient(GatewayFixture.BehavioralHealth);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}")).StatusCode);
    }

    [Fact]
    public async Task Token_ForAnotherAudience_SignedWithTheGatewaysOwnKey_IsRefused()
    {
        // Everything right but the audience: signed with the gateway's real key, bound to this certificate.
        var genuine = await TokenAsync(GatewayFixture.BehavioralHealth);
        var claims = JsonNode.Parse(Decode(genuine.Split('.')[1]))!.AsObject();
        var header = JsonNode.Parse(Decode(genuine.Split('.')[0]))!.AsObject();
        claims["aud"] = "some-other-api";
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(gateway.Certificates.Directory, "token-signing.key")));
        var signingInput = $"{Encode(header.ToJsonString())}.{Encode(claims.ToJsonString())}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), System.Security.Cryptography.HashAlgorithmName.SHA256);
        var otherAudience = $"{signingInput}.{Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        using var client = RawClient(GatewayFixture.BehavioralHealth);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", otherAudience);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}")).StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_WithExpiredOrForeignCertificate_IsRefusedInTheHandshake()
    {
        using var ca = gateway.Certificates.LoadCa();
        using var expired = ca.IssueClient(GatewayFixture.Psw, new DateTimeOffset(ca.Certificate.NotBefore.ToUniversalTime()), DateTimeOffset.UtcNow.AddMinutes(-5));
        using var rogueCa = ReferralExchange.Infrastructure.Certificates.DevCertificateAuthority.Create("Rogue", DateTimeOffset.UtcNow);
        using var foreign = rogueCa.IssueClient(GatewayFixture.Psw, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = GatewayFixture.Psw };

        foreach (var certificate in new[] { expired, foreign })
        {
            using var client = RawClientWith(certificate);
            await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync("/connect/token", new FormUrlEncodedContent(form)));
        }
    }

    [Fact]
    public async Task Token_MissingTheScope_Answers403NamingIt()
    {
        var token = await TokenAsync(GatewayFixture.BehavioralHealth, "system/Task.rs");
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        using var client = RawClient(GatewayFixture.BehavioralHealth);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var task = await (await client.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        task["status"] = "accepted";

        var response = await client.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("system/Task.u", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TokenRequest_ForAScopeTheKindMayNotHold_IsRefused()
    {
        using var housing = RawClient(GatewayFixture.Housing);
        var response = await housing.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = GatewayFixture.Housing,
            ["scope"] = "system/ServiceRequest.c",
        }));

        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("invalid_scope", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> TokenAsync(string partner, string? scope = null)
    {
        using var client = RawClient(partner);
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = partner };
        if (scope is not null) form["scope"] = scope;
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["access_token"]!.GetValue<string>();
    }

    private HttpClient RawClient(string partner) => RawClientWith(gateway.Certificates.LoadClient(partner));

    /// <summary>A client with the certificate but without the automatic token: the test sets Authorization itself.</summary>
    private HttpClient RawClientWith(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var ca = gateway.Certificates.LoadCaPublic();
        return new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => ReferralExchange.Infrastructure.Certificates.CustomRootValidation.ChainsTo(server, [ca]),
            },
        }) { BaseAddress = gateway.BaseAddress };
    }

    private static string Decode(string part)
    {
        var s = part.Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '=')));
    }

    private static string Encode(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
