using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

public abstract class FhirRestSpec(GatewayFixture gateway)
{
    [Fact]
    public async Task Metadata_AnswersTheCapabilityStatementAsFhirJson()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.GetAsync("/fhir/metadata");
        var statement = await response.JsonAsync();

        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("4.0.1", statement["fhirVersion"]!.GetValue<string>());
        Assert.Contains("Task", statement["rest"]![0]!["resource"]!.AsArray().Select(r => r!["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Read_UnknownResourceType_Answers404OperationOutcome()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.GetAsync("/fhir/Spaceship/1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Read_PartnerOrganization_IsVisibleToEveryPartner()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.GetAsync($"/fhir/Organization/{GatewayFixture.Veterans}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownEndpoint_Answers404OperationOutcome()
    {
        using var client = gateway.ClientFor(GatewayFixture.Housing);

        var response = await client.DeleteAsync("/fhir/Task/abc");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transaction_WithWrongResourceType_Answers400()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostFhirAsync("/fhir", """{"resourceType":"Patient","name":[{"family":"X"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("resourceType", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Transaction_WithMalformedJson_Answers400()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        var response = await psw.PostFhirAsync("/fhir", "{\"resourceType\":\"Bundle\",");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Transaction_ReferralBundle_IsAcceptedAndReplayedByIfNoneExist()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var identifier = "TX-" + Guid.NewGuid().ToString("N")[..10];
        var bundle = TransactionSamples.Referral(identifier, ifNoneExist: true);

        var first = await psw.PostFhirAsync("/fhir", bundle.ToJsonString());
        var again = await psw.PostFhirAsync("/fhir", TransactionSamples.Referral(identifier, ifNoneExist: true).ToJsonString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var taskPath = first.Headers.Location!.AbsolutePath;
        Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync(taskPath)).StatusCode);
        Assert.Equal(1, Database.Count(gateway, "Referrals", $"\"IdentifierValue\" = '{identifier}'"));
    }

    [Fact]
    public async Task Transaction_ProfileViolation_Answers422WithElementPath()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var bundle = TransactionSamples.Referral("TX-" + Guid.NewGuid().ToString("N")[..10], ifNoneExist: false);
        var consent = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "Consent").AsObject();
        consent["provision"]!["period"]!.AsObject().Remove("end");

        var response = await psw.PostFhirAsync("/fhir", bundle.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.JsonAsync()).IssueExpressions(), e => e.Contains("Consent.provision.period"));
    }

    [Fact]
    public async Task Transaction_OnBehalfOfAnotherOrganization_Answers422()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var bundle = TransactionSamples.Referral("TX-" + Guid.NewGuid().ToString("N")[..10], ifNoneExist: false);
        var task = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => r["resourceType"]!.GetValue<string>() == "Task").AsObject();
        task["requester"] = new JsonObject { ["reference"] = "Organization/housing-harbor" };

        var response = await psw.PostFhirAsync("/fhir", bundle.ToJsonString());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.requester", (await response.JsonAsync()).IssueExpressions());
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class FhirRestTests(GatewayFixture gateway) : FhirRestSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class FhirRestTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : FhirRestSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
