using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Referrals;

public abstract class ReferralIntakeSpec(GatewayFixture gateway)
{
    [Fact]
    public async Task SubmitNative_ValidReferral_AnswersTransactionResponseWithLocations()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostNativeAsync(ReferralSamples.Native());
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("transaction-response", body["type"]!.GetValue<string>());
        var locations = body["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).ToList();
        Assert.Contains(locations, l => l.StartsWith("Patient/"));
        Assert.Contains(locations, l => l.StartsWith("ServiceRequest/"));
        Assert.Contains(locations, l => l.StartsWith("Consent/"));
        Assert.Contains(locations, l => l.StartsWith("Task/"));
        Assert.Contains(locations, l => l.StartsWith("PractitionerRole/"));
        Assert.All(body["entry"]!.AsArray(), e => Assert.Equal("201 Created", e!["response"]!["status"]!.GetValue<string>()));
        Assert.Contains("/fhir/Task/", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SubmitNative_ThenReceivingPartner_FindsItInInboxAndReadsEveryResource()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());

        var inbox = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&status=requested&_count=100")).JsonAsync();
        var task = inbox["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["id"]!.GetValue<string>() == taskId);

        var serviceRequest = await provider.GetAsync($"/fhir/{task["focus"]!["reference"]!.GetValue<string>()}");
        var patient = await provider.GetAsync($"/fhir/{task["for"]!["reference"]!.GetValue<string>()}");
        Assert.Equal(HttpStatusCode.OK, serviceRequest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patient.StatusCode);
        Assert.Equal(ReferralSamples.FamilyName, (await patient.JsonAsync())["name"]![0]!["family"]!.GetValue<string>());
        var sr = await serviceRequest.JsonAsync();
        Assert.Equal("mental-health", sr["category"]![0]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal($"Organization/{GatewayFixture.BehavioralHealth}", sr["performer"]![0]!["reference"]!.GetValue<string>());
        Assert.Equal("application/fhir+json", serviceRequest.Content.Headers.ContentType!.MediaType);
        Assert.Equal("W/\"1\"", serviceRequest.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task SubmitNative_SameReferralTwice_StoresOneAndReplaysTheFirstAnswer()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        var first = await psw.PostNativeAsync(referral);
        var firstBody = await first.Content.ReadAsStringAsync();
        var versionsAfterFirst = Database.Count(gateway, "ResourceVersions");

        var second = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(versionsAfterFirst, Database.Count(gateway, "ResourceVersions"));
        Assert.Equal(1, Database.Count(gateway, "Referrals", $"\"IdentifierValue\" = '{referral["referralId"]!.GetValue<string>()}'"));
    }

    [Fact]
    public async Task SubmitNative_ConcurrentDuplicates_StoreExactlyOne()
    {
        var referral = ReferralSamples.Native();
        var clients = Enumerable.Range(0, 6).Select(_ => gateway.ClientFor(GatewayFixture.Psw)).ToList();

        var responses = await Task.WhenAll(clients.Select(c => c.PostNativeAsync(referral)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        Assert.Equal(1, Database.Count(gateway, "Referrals", $"\"IdentifierValue\" = '{referral["referralId"]!.GetValue<string>()}'"));
        clients.ForEach(c => c.Dispose());
    }

    [Theory]
    [InlineData("person.birthDate", "not-a-date")]
    [InlineData("urgency", "whenever")]
    [InlineData("consent.expiresOn", "2020-01-01")]
    public async Task SubmitNative_InvalidField_Answers422NamingTheField(string path, string value)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        Set(referral, path, value);

        var response = await psw.PostNativeAsync(referral);
        var outcome = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains(path, outcome.IssueExpressions());
    }

    [Fact]
    public async Task SubmitNative_WithoutConsent_Answers422()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        referral.Remove("consent");

        var response = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("consent", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task SubmitNative_ConsentNotNamingRecipient_Answers422AndStoresNothing()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var before = Database.Count(gateway, "ResourceVersions");
        var referral = ReferralSamples.Native(recipient: GatewayFixture.BehavioralHealth, consentRecipients: [GatewayFixture.Housing]);

        var response = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("consent.recipients", (await response.JsonAsync()).IssueExpressions());
        Assert.Equal(before, Database.Count(gateway, "ResourceVersions"));
    }

    [Fact]
    public async Task SubmitNative_UnknownField_Answers400NamingIt()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        referral["doNotContct"] = true;

        var response = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("doNotContct", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task SubmitNative_MalformedJson_Answers400OperationOutcome()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostAsync("/referrals", new StringContent("{\"referralId\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitNative_WrongMediaType_Answers415()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostAsync("/referrals", new StringContent(ReferralSamples.Native().ToJsonString(), System.Text.Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task SubmitNative_BodyOverLimit_Answers413()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native();
        referral["narrative"] = new string('x', (int)gateway.MaxBodyBytes + 10);

        var response = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmitNative_ByHousingAgency_Answers403()
    {
        using var housing = gateway.ClientFor(GatewayFixture.Housing);

        var response = await housing.PostNativeAsync(ReferralSamples.Native());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task SubmitNative_RecipientNotServingTheNeed_Answers422()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var referral = ReferralSamples.Native(recipient: GatewayFixture.Housing, categories: ["mental-health"]);

        var response = await psw.PostNativeAsync(referral);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("recipient", (await response.JsonAsync()).IssueExpressions());
    }

    private static void Set(JsonObject root, string path, string value)
    {
        var parts = path.Split('.');
        var node = root;
        foreach (var part in parts[..^1]) node = node[part]!.AsObject();
        node[parts[^1]] = value;
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class ReferralIntakeTests(GatewayFixture gateway) : ReferralIntakeSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class ReferralIntakeTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : ReferralIntakeSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
