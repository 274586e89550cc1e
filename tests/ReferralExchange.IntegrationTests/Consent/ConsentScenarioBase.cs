using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;
using static ReferralExchange.IntegrationTests.Infrastructure.ConsentReferrals;

/// <summary>
/// What the consent scenario tests share: a PSW submits a referral with the scenario's consents
/// (a FHIR transaction) and a partner reads, revokes or asks the decision service.
/// </summary>
public abstract class ConsentScenarioBase(GatewayFixture gateway)
{
    protected const string Bh = GatewayFixture.BehavioralHealth;
    protected const string Housing = GatewayFixture.Housing;
    protected const string Va = GatewayFixture.Veterans;
    protected const string Psw = GatewayFixture.Psw;

    protected GatewayFixture Gateway => gateway;

    protected Task<Submitted> SubmitAsync(ConsentSpec consent) => SubmitAsync([consent]);

    protected async Task<Submitted> SubmitAsync(IReadOnlyList<ConsentSpec> consents, string[]? categories = null, string? performer = Bh)
    {
        using var psw = gateway.ClientFor(Psw);
        return await SubmitOkAsync(psw, consents, categories, performer);
    }

    /// <param name="purpose">A purpose the request states: its token is obtained for the partner's default and this one, and the header picks this one.</param>
    protected async Task<HttpStatusCode> ReadStatusAsync(string partner, string type, Submitted referral, string? purpose = null)
    {
        using var client = purpose is null ? gateway.ClientFor(partner) : gateway.ClientFor(partner, "TREAT", purpose);
        if (purpose is not null) client.DefaultRequestHeaders.Add("X-Purpose-Of-Use", purpose);
        return (await client.GetAsync($"/fhir/{type}/{IdOf(type, referral)}")).StatusCode;
    }

    protected async Task<JsonObject> ReadJsonAsync(string partner, string type, Submitted referral)
    {
        using var client = gateway.ClientFor(partner);
        var response = await client.GetAsync($"/fhir/{type}/{IdOf(type, referral)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    protected static string IdOf(string type, Submitted referral) => type switch
    {
        "Task" => referral.TaskId,
        "ServiceRequest" => referral.ServiceRequestId,
        "Patient" => referral.PatientId,
        _ => referral.ConsentIds[0],
    };

    protected async Task AcceptWithNoteAsync(Submitted referral, string note)
    {
        using var provider = gateway.ClientFor(Bh);
        var task = await (await provider.GetAsync($"/fhir/Task/{referral.TaskId}")).JsonAsync();
        task["status"] = "accepted";
        task["note"] = new JsonArray(new JsonObject { ["text"] = note });
        var response = await provider.PutFhirAsync($"/fhir/Task/{referral.TaskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    protected async Task RevokeAsync(string partner, Submitted referral, HttpStatusCode expected)
    {
        using var client = gateway.ClientFor(partner);
        var response = await client.PostAsync($"/fhir/Consent/{referral.ConsentIds[0]}/$revoke", null);
        Assert.Equal(expected, response.StatusCode);
    }

    protected async Task<JsonNode> ConsultAsync(string partner, string patientId, string actor, string purpose, string dataClass)
    {
        // The decision service answers only for purposes the token carries: ask for this one.
        using var client = gateway.ClientFor(partner, purpose);
        var response = await client.PostAsync("/cds-services/patient-consent-consult", JsonContent.Create(ConsultRequest(patientId, actor, purpose, dataClass)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["cards"]![0]!;
    }

    protected static JsonObject ConsultRequest(string patientId, string actor, string purpose, string dataClass) => new()
    {
        ["hook"] = "patient-consent-consult",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["patientId"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/Patient", ["value"] = patientId }),
            ["scope"] = "patient-privacy",
            ["purposeOfUse"] = new JsonArray(purpose),
            ["actor"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/Organization", ["value"] = actor }),
            ["class"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/data-class", ["code"] = dataClass }),
        },
    };
}
