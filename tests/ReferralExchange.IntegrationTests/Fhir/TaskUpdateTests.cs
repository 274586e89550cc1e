using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

public abstract class TaskUpdateSpec(GatewayFixture gateway)
{
    [Fact]
    public async Task Update_OwnerAcceptsWithCurrentVersion_StoresVersion2()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "accepted";

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");
        var updated = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag!.ToString());
        Assert.Equal("2", updated["meta"]!["versionId"]!.GetValue<string>());
        Assert.Equal("accepted", updated["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WithStaleETag_Answers412AndChangesNothing()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "accepted";
        Assert.Equal(HttpStatusCode.OK, (await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"")).StatusCode);
        var latest = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        latest["status"] = "in-progress";

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", latest, "W/\"1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Contains("If-Match", (await response.JsonAsync()).IssueExpressions());
        var current = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        Assert.Equal("accepted", current["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Answers428PreconditionRequired()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "accepted";

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, ifMatch: null);

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        Assert.Contains("If-Match", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Update_IllegalTransition_Answers409NamingAllowedMoves()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "in-progress";

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");
        var outcome = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("accepted", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_RejectWithoutReason_Answers422AtStatusReason()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "rejected";

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.statusReason.text", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Update_ChangingTheFocus_Answers422()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["focus"] = new JsonObject { ["reference"] = "ServiceRequest/someone-else" };

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Task.focus", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task Update_WithWrongResourceType_Answers400()
    {
        var (provider, taskId, _) = await NewTaskAsync();
        var patient = new JsonObject { ["resourceType"] = "Patient", ["id"] = taskId };

        var response = await provider.PutFhirAsync($"/fhir/Task/{taskId}", patient, "W/\"1\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("resourceType", (await response.JsonAsync()).IssueExpressions());
    }

    [Fact]
    public async Task History_AfterUpdate_ListsBothVersionsAndVreadReturnsTheFirst()
    {
        var (provider, taskId, task) = await NewTaskAsync();
        task["status"] = "accepted";
        await provider.PutFhirAsync($"/fhir/Task/{taskId}", task, "W/\"1\"");

        var history = await (await provider.GetAsync($"/fhir/Task/{taskId}/_history")).JsonAsync();
        var first = await (await provider.GetAsync($"/fhir/Task/{taskId}/_history/1")).JsonAsync();

        Assert.Equal(2, history["total"]!.GetValue<int>());
        Assert.Equal("requested", first["status"]!.GetValue<string>());
        Assert.Equal("1", first["meta"]!["versionId"]!.GetValue<string>());
    }

    private async Task<(HttpClient Provider, string TaskId, JsonObject Task)> NewTaskAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var task = await (await provider.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
        return (provider, taskId, task);
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class TaskUpdateTests(GatewayFixture gateway) : TaskUpdateSpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class TaskUpdateTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : TaskUpdateSpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
