using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

namespace ReferralExchange.IntegrationTests.OAuth;

/// <summary>
/// Purpose of use is part of the authorization (issue 10, finding 1): a partner obtains a token for
/// purposes it is registered for, the consent decision uses the token's purpose, and
/// <c>X-Purpose-Of-Use</c> can only narrow within it.
/// </summary>
public sealed class PurposeOfUseTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string Housing = GatewayFixture.Housing;

    // ---- the consent decision uses the token's purpose -----------------------------------------

    [Fact]
    public async Task TokenForTreat_CannotReadAnHpaymtOnlyConsentsData()
    {
        var referral = await SubmitAsync(Permit(purposes: ["HPAYMT"]));
        using var treatment = gateway.ClientFor(Bh, "TREAT");

        Assert.Equal(HttpStatusCode.NotFound, (await treatment.GetAsync($"/fhir/Patient/{referral.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await treatment.GetAsync($"/fhir/ServiceRequest/{referral.ServiceRequestId}")).StatusCode);
        Assert.Equal(0, (await (await treatment.GetAsync($"/fhir/Task?patient=Patient/{referral.PatientId}")).JsonAsync())["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task TokenForHpaymt_ReadsTheHpaymtOnlyConsentsData()
    {
        var referral = await SubmitAsync(Permit(purposes: ["HPAYMT"]));
        using var payment = gateway.ClientFor(Bh, "HPAYMT");

        Assert.Equal(HttpStatusCode.OK, (await payment.GetAsync($"/fhir/Patient/{referral.PatientId}")).StatusCode);
    }

    [Fact]
    public async Task Header_NamingAPurposeTheTokenLacks_Answers403AndCannotWidenIt()
    {
        var referral = await SubmitAsync(Permit(purposes: ["HPAYMT"]));
        using var treatment = gateway.ClientFor(Bh, "TREAT");
        treatment.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "HPAYMT");

        var response = await treatment.GetAsync($"/fhir/Patient/{referral.PatientId}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains("X-Purpose-Of-Use", outcome.IssueExpressions());
        Assert.DoesNotContain("Testa", outcome.ToJsonString());
    }

    [Fact]
    public async Task Housing_StatingTreatmentForATreatmentOnlyConsent_IsRefusedNotServed()
    {
        // The penetration test's finding: a consent limited to treatment, sent to a housing agency.
        var referral = await SubmitAsync([Permit(actors: [Housing], purposes: ["TREAT"], classes: ["referral", "demographics", "housing"])],
            ["housing-instability"], Housing);
        using var housing = gateway.ClientFor(Housing);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"/fhir/Patient/{referral.PatientId}")).StatusCode);

        housing.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "TREAT");
        var stated = await housing.GetAsync($"/fhir/Patient/{referral.PatientId}");

        Assert.Equal(HttpStatusCode.Forbidden, stated.StatusCode);
        Assert.DoesNotContain("Consentia", await stated.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Header_NarrowingWithinTheToken_DecidesAndIsAudited()
    {
        var referral = await SubmitAsync(Permit(purposes: ["ETREAT"]));
        using var provider = gateway.ClientFor(Bh, "TREAT", "ETREAT");
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync($"/fhir/Task/{referral.TaskId}")).StatusCode);

        provider.DefaultRequestHeaders.Add("X-Purpose-Of-Use", "ETREAT");
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/fhir/Task/{referral.TaskId}")).StatusCode);

        var events = (await (await provider.GetAsync($"/fhir/AuditEvent?patient=Patient/{referral.PatientId}&_count=200")).JsonAsync())["entry"]!.AsArray()
            .Select(e => e!["resource"]!).ToList();
        static string? Subtype(JsonNode e) => e["subtype"]![0]!["code"]!.GetValue<string>();
        static string? Purpose(JsonNode e) => e["agent"]![0]!["purposeOfUse"]?[0]?["coding"]?[0]?["code"]?.GetValue<string>();
        // The refusal was decided (and recorded) for the token's first purpose, the disclosure for the header's.
        var decisions = events.Where(e => Subtype(e) == "authz-consent").ToList();
        Assert.Contains(decisions, e => Purpose(e) == "TREAT" && e["outcome"]!.GetValue<string>() != "0");
        Assert.Contains(decisions, e => Purpose(e) == "ETREAT" && e["outcome"]!.GetValue<string>() == "0");
        Assert.Contains(events, e => Subtype(e) == "read" && e["outcome"]!.GetValue<string>() == "0" && Purpose(e) == "ETREAT");
    }

    [Fact]
    public async Task DecisionService_AskingForAPurposeTheTokenLacks_IsForbidden()
    {
        var referral = await SubmitAsync(Permit(purposes: ["HPAYMT"]));
        using var treatment = gateway.ClientFor(Bh, "TREAT");

        var response = await treatment.PostAsync("/cds-services/patient-consent-consult", JsonContent.Create(ConsultRequest(referral.PatientId, "HPAYMT")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("context.purposeOfUse", (await response.JsonAsync()).IssueExpressions());
    }

    // ---- the token endpoint grants only registered purposes ----------------------------------

    [Fact]
    public async Task Token_WithoutAPurposeRequested_CarriesTheKindsDefault()
    {
        Assert.Equal(["TREAT"], Purposes(await TokenAsync(Bh)));
        Assert.Equal(["CAREMGT"], Purposes(await TokenAsync(Housing)));
        Assert.Equal(["CAREMGT"], Purposes(await TokenAsync(GatewayFixture.Psw)));
    }

    [Fact]
    public async Task TokenRequest_ForAPurposeTheKindMayNotAssert_IsInvalidScope()
    {
        var response = await TokenResponseAsync(Housing, new() { ["purpose_of_use"] = "TREAT" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRequest_ForAnUnknownPurpose_IsInvalidScope()
    {
        var response = await TokenResponseAsync(Bh, new() { ["purpose_of_use"] = "TREAT MARKETING" });

        Assert.Equal("invalid_scope", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRequest_InTheUdapUriForm_IsUnderstood()
    {
        var response = await TokenResponseAsync(Bh, new() { ["purpose_of_use"] = "urn:oid:2.16.840.1.113883.5.8#HPAYMT http://terminology.hl7.org/CodeSystem/v3-ActReason#TREAT" });

        response.EnsureSuccessStatusCode();
        Assert.Equal(["HPAYMT", "TREAT"], Purposes((await response.JsonAsync())["access_token"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ClientAssertion_WithTheHl7B2bExtension_TokenCarriesItsPurposes()
    {
        var referral = await SubmitAsync(Permit(purposes: ["HPAYMT"]));
        using var client = gateway.ClientFor(Bh);
        var response = await client.PostAsync("/connect/token", AssertionForm(Bh, await AssertionAsync(client, Bh, B2b("urn:oid:2.16.840.1.113883.5.8#HPAYMT"))));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var token = (await response.JsonAsync())["access_token"]!.GetValue<string>();
        Assert.Equal(["HPAYMT"], Purposes(token));

        using var raw = gateway.ClientWith(gateway.Certificates.LoadClient(Bh));
        raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await raw.GetAsync($"/fhir/Patient/{referral.PatientId}")).StatusCode);
    }

    [Fact]
    public async Task ClientAssertion_ForAPurposeThePartnerMayNotAssert_IsInvalidScope()
    {
        using var client = gateway.ClientFor(GatewayFixture.Psw);
        var response = await client.PostAsync("/connect/token", AssertionForm(GatewayFixture.Psw, await AssertionAsync(client, GatewayFixture.Psw, B2b("TREAT"))));

        Assert.Equal("invalid_scope", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClientAssertion_WithAMalformedHl7B2bExtension_IsInvalidRequest()
    {
        using var client = gateway.ClientFor(Bh);
        var extension = B2b("TREAT");
        extension["version"] = "2";
        var response = await client.PostAsync("/connect/token", AssertionForm(Bh, await AssertionAsync(client, Bh, extension)));

        Assert.Equal("invalid_request", (await response.JsonAsync())["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegisteredPurposes_NarrowerThanTheKind_AreAllThePartnerCanObtain()
    {
        const string va = GatewayFixture.Veterans;
        Assert.True((await TokenResponseAsync(va, new() { ["purpose_of_use"] = "HPAYMT" })).IsSuccessStatusCode);
        Assert.Equal(0, await RxAsync("partner", "purposes", "set", "--id", va, "--purposes", "TREAT", "ETREAT"));
        try
        {
            var refused = await TokenResponseAsync(va, new() { ["purpose_of_use"] = "HPAYMT" });
            Assert.Equal("invalid_scope", (await refused.JsonAsync())["error"]!.GetValue<string>());
            Assert.Equal(["TREAT"], Purposes(await TokenAsync(va)));
        }
        finally
        {
            Assert.Equal(0, await RxAsync("partner", "purposes", "reset", "--id", va));
        }
    }

    [Fact]
    public async Task RegisteringAPurposeOutsideTheKind_IsRefusedByTheCli()
    {
        Assert.Equal(2, await RxAsync("partner", "purposes", "set", "--id", GatewayFixture.Psw, "--purposes", "TREAT"));
        Assert.Equal(2, await RxAsync("partner", "purposes", "set", "--id", Bh, "--purposes", "MARKETING"));
        Assert.Equal(["CAREMGT"], Purposes(await TokenAsync(GatewayFixture.Psw)));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private async Task<Submitted> SubmitAsync(ConsentSpec consent) => await SubmitAsync([consent]);

    private async Task<Submitted> SubmitAsync(IReadOnlyList<ConsentSpec> consents, string[]? categories = null, string? performer = Bh)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        return await SubmitOkAsync(psw, consents, categories, performer);
    }

    private async Task<int> RxAsync(params string[] args) =>
        await ReferralExchange.Cli.CliApp.RunAsync([.. args, "--database", gateway.DatabasePath], new StringWriter());

    private async Task<HttpResponseMessage> TokenResponseAsync(string partner, Dictionary<string, string> extra)
    {
        using var client = gateway.ClientWith(gateway.Certificates.LoadClient(partner));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = partner };
        foreach (var (k, v) in extra) form[k] = v;
        var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(form));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<string> TokenAsync(string partner)
    {
        var response = await TokenResponseAsync(partner, []);
        response.EnsureSuccessStatusCode();
        return (await response.JsonAsync())["access_token"]!.GetValue<string>();
    }

    /// <summary>The token's purpose_of_use claim, one string or an array.</summary>
    private static string[] Purposes(string token) => TokenForge.Claims(token)["purpose_of_use"] switch
    {
        JsonArray array => array.Select(p => p!.GetValue<string>()).ToArray(),
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    /// <summary>The UDAP IG §5.3 B2B Authorization Extension Object.</summary>
    private static Dictionary<string, object> B2b(params string[] purposes) => new()
    {
        ["version"] = "1",
        ["organization_id"] = "https://referral-exchange.example/fhir/sid/partner#test",
        ["purpose_of_use"] = purposes,
    };

    private async Task<string> AssertionAsync(HttpClient client, string partner, Dictionary<string, object> b2b)
    {
        var issuer = JsonNode.Parse(await client.GetStringAsync("/.well-known/openid-configuration"))!["issuer"]!.GetValue<string>();
        var certificate = gateway.Certificates.LoadClient(partner);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = partner,
            Audience = issuer,
            Subject = new ClaimsIdentity([new Claim("sub", partner), new Claim("jti", Guid.NewGuid().ToString())]),
            TokenType = "client-authentication+jwt",
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(4),
            Claims = new Dictionary<string, object> { ["extensions"] = new Dictionary<string, object> { ["hl7-b2b"] = b2b } },
            SigningCredentials = new SigningCredentials(
                new ECDsaSecurityKey(certificate.GetECDsaPrivateKey()) { KeyId = ReferralExchange.Infrastructure.Partners.OAuthClientRegistration.KeyIdOf(certificate) },
                SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static FormUrlEncodedContent AssertionForm(string partner, string assertion) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials",
        ["client_id"] = partner,
        ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        ["client_assertion"] = assertion,
    });

    private static JsonObject ConsultRequest(string patientId, string purpose) => new()
    {
        ["hook"] = "patient-consent-consult",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["patientId"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/Patient", ["value"] = patientId }),
            ["scope"] = "patient-privacy",
            ["purposeOfUse"] = new JsonArray(purpose),
            ["actor"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/Organization", ["value"] = Bh }),
            ["class"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/data-class", ["code"] = "referral" }),
        },
    };
}
