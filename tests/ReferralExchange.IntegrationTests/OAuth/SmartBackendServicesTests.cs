using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.Infrastructure.Partners;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>Two partners whose certificates carry a P-384 and an RSA key, onboarded once for the class.</summary>
public sealed class SmartPartnersFixture : GatewayFixture
{
    public const string Es384Partner = "bh-ecdsa-p384";
    public const string Rs384Partner = "bh-rsa-3072";

    public X509Certificate2 Es384Certificate { get; private set; } = null!;
    public X509Certificate2 Rs384Certificate { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Es384Certificate = await PartnerKeyCertificates.OnboardAsync(this, Es384Partner, ECDsa.Create(ECCurve.NamedCurves.nistP384));
        Rs384Certificate = await PartnerKeyCertificates.OnboardAsync(this, Rs384Partner, RSA.Create(3072));
    }
}

/// <summary>
/// SMART App Launch 2.x Backend Services on the real gateway: discovery at the FHIR base and the
/// root with the certificate alone, and private_key_jwt client assertions shaped as SMART's
/// "Client Authentication: Asymmetric" has them (typ JWT, aud the token URL, ES384 and RS384, kid).
/// </summary>
public sealed class SmartBackendServicesTests(SmartPartnersFixture gateway) : IClassFixture<SmartPartnersFixture>
{
    [Theory]
    [InlineData("/fhir/.well-known/smart-configuration")]
    [InlineData("/.well-known/smart-configuration")]
    public async Task Discovery_WithTheCertificateAndNoToken_AnswersJson(string path)
    {
        using var client = CertificateOnlyClient.For(gateway, GatewayFixture.Housing);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/fhir+json");

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Discovery_AtTheFhirBaseAndTheRoot_IsOneDocument()
    {
        using var client = CertificateOnlyClient.For(gateway, GatewayFixture.Housing);

        var atBase = await client.GetStringAsync("/fhir/.well-known/smart-configuration");
        var atRoot = await client.GetStringAsync("/.well-known/smart-configuration");

        Assert.Equal(atRoot, atBase);
    }

    [Fact]
    public async Task Discovery_ListsWhatBackendServicesNeeds()
    {
        using var client = CertificateOnlyClient.For(gateway, GatewayFixture.Housing);

        var smart = JsonNode.Parse(await client.GetStringAsync("/fhir/.well-known/smart-configuration"))!;

        Assert.Equal($"{gateway.PublicBaseUrl}/connect/token", smart["token_endpoint"]!.GetValue<string>());
        Assert.Equal(["client_credentials"], Strings(smart["grant_types_supported"]));
        Assert.Superset(new HashSet<string> { "private_key_jwt", "tls_client_auth" }, Strings(smart["token_endpoint_auth_methods_supported"]).ToHashSet());
        Assert.Superset(new HashSet<string> { "ES384", "RS384" }, Strings(smart["token_endpoint_auth_signing_alg_values_supported"]).ToHashSet());
        Assert.Superset(new HashSet<string> { "client-confidential-asymmetric", "permission-v2" }, Strings(smart["capabilities"]).ToHashSet());
        Assert.Contains("system/Task.rus", Strings(smart["scopes_supported"]));
    }

    [Fact]
    public async Task OpenIdConfiguration_AdvertisesTheSameAlgorithmsAndNoClientSecret()
    {
        using var client = CertificateOnlyClient.For(gateway, GatewayFixture.Housing);

        var openid = JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!;
        var smart = JsonNode.Parse(await client.GetStringAsync("/.well-known/smart-configuration"))!;

        Assert.Equal(Strings(smart["token_endpoint_auth_signing_alg_values_supported"]), Strings(openid["token_endpoint_auth_signing_alg_values_supported"]));
        Assert.DoesNotContain("client_secret_post", Strings(openid["token_endpoint_auth_methods_supported"]));
        Assert.Equal(smart["token_endpoint"]!.GetValue<string>(), openid["token_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Es384Assertion_TypJwt_AudTheTokenUrl_IssuesATokenTheApiAccepts()
    {
        using var client = CertificateOnlyClient.With(gateway, gateway.Es384Certificate);
        var assertion = Assertion(SmartPartnersFixture.Es384Partner, await TokenUrlAsync(client), Es384Key(), SecurityAlgorithms.EcdsaSha384);

        var token = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Es384Partner, assertion));
        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());

        var access = JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>();
        using var read = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Organization/{SmartPartnersFixture.Es384Partner}");
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task Rs384Assertion_TypJwt_AudTheTokenUrl_IssuesAToken()
    {
        using var client = CertificateOnlyClient.With(gateway, gateway.Rs384Certificate);
        var assertion = Assertion(SmartPartnersFixture.Rs384Partner, await TokenUrlAsync(client), Rs384Key(), SecurityAlgorithms.RsaSha384);

        var token = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Rs384Partner, assertion));

        Assert.True(token.IsSuccessStatusCode, await token.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_Replayed_IsInvalidClient()
    {
        using var client = CertificateOnlyClient.With(gateway, gateway.Rs384Certificate);
        var assertion = Assertion(SmartPartnersFixture.Rs384Partner, await TokenUrlAsync(client), Rs384Key(), SecurityAlgorithms.RsaSha384);

        var first = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Rs384Partner, assertion));
        var replay = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Rs384Partner, assertion));

        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        Assert.Contains("invalid_client", await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_ForTheFhirBaseAudience_IsInvalidClient()
    {
        using var client = CertificateOnlyClient.With(gateway, gateway.Es384Certificate);
        var assertion = Assertion(SmartPartnersFixture.Es384Partner, $"{gateway.PublicBaseUrl}/fhir", Es384Key(), SecurityAlgorithms.EcdsaSha384);

        var response = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Es384Partner, assertion));

        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_WithAKidNotRegistered_IsInvalidClient()
    {
        using var client = CertificateOnlyClient.With(gateway, gateway.Es384Certificate);
        var key = new ECDsaSecurityKey(gateway.Es384Certificate.GetECDsaPrivateKey()) { KeyId = "not-the-registered-kid" };
        var assertion = Assertion(SmartPartnersFixture.Es384Partner, await TokenUrlAsync(client), key, SecurityAlgorithms.EcdsaSha384);

        var response = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Es384Partner, assertion));

        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_WithAJkuHeader_IsInvalidClient()
    {
        // SMART: a jku must match a JWK Set URL registered for the client; partners register none.
        using var client = CertificateOnlyClient.With(gateway, gateway.Es384Certificate);
        var assertion = Assertion(SmartPartnersFixture.Es384Partner, await TokenUrlAsync(client), Es384Key(), SecurityAlgorithms.EcdsaSha384,
            new Dictionary<string, object> { ["jku"] = "https://attacker.example/jwks.json" });

        var response = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Es384Partner, assertion));

        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Assertion_SignedByAnotherPartnersKey_IsInvalidClient()
    {
        // The RSA partner's connection, an assertion naming the RSA partner, signed with the P-384 partner's key.
        using var client = CertificateOnlyClient.With(gateway, gateway.Rs384Certificate);
        var foreign = new ECDsaSecurityKey(gateway.Es384Certificate.GetECDsaPrivateKey()) { KeyId = OAuthClientRegistration.KeyIdOf(gateway.Rs384Certificate) };
        var assertion = Assertion(SmartPartnersFixture.Rs384Partner, await TokenUrlAsync(client), foreign, SecurityAlgorithms.EcdsaSha384);

        var response = await client.PostAsync("/connect/token", Form(SmartPartnersFixture.Rs384Partner, assertion));

        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync());
    }

    private SecurityKey Es384Key() =>
        new ECDsaSecurityKey(gateway.Es384Certificate.GetECDsaPrivateKey()) { KeyId = OAuthClientRegistration.KeyIdOf(gateway.Es384Certificate) };

    private SecurityKey Rs384Key() =>
        new RsaSecurityKey(gateway.Rs384Certificate.GetRSAPrivateKey()) { KeyId = OAuthClientRegistration.KeyIdOf(gateway.Rs384Certificate) };

    /// <summary>The token URL as a SMART client learns it: from the FHIR base's discovery document.</summary>
    private static async Task<string> TokenUrlAsync(HttpClient client) =>
        JsonNode.Parse(await client.GetStringAsync("/fhir/.well-known/smart-configuration"))!["token_endpoint"]!.GetValue<string>();

    /// <summary>SMART's authentication JWT: typ JWT, alg, kid; iss = sub = client_id, aud, exp within five minutes, jti.</summary>
    private static string Assertion(string clientId, string audience, SecurityKey key, string algorithm, IDictionary<string, object>? extraHeaders = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", clientId), new Claim("jti", Guid.NewGuid().ToString())]),
            TokenType = "JWT",
            Expires = now.AddMinutes(4),
            AdditionalHeaderClaims = extraHeaders,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    private static FormUrlEncodedContent Form(string clientId, string assertion) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["scope"] = "system/Organization.r system/Task.rus",
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
        ["client_id"] = clientId,
    });

    private static string[] Strings(JsonNode? node) => node!.AsArray().Select(v => v!.GetValue<string>()).ToArray();
}
