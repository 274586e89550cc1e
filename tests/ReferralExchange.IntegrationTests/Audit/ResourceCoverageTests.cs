using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Stored resource versions are covered by the audit trail (issue 12, point 6; ADR 0012): a row
/// changed outside the gateway is not served (500 integrity OperationOutcome, audited), and
/// <c>rx audit verify --resources</c> names every version changed, deleted or added, exit 2. Each
/// test tampers with its own gateway's SQLite file.
/// </summary>
public sealed class ResourceCoverageTests
{
    private const string Bh = GatewayFixture.BehavioralHealth;

    [Fact]
    public async Task VerifyResources_EveryWritePath_IsIntact()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(1);
        var flow = await NewReferralAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "accepted")).StatusCode);
        await flow.RecordDeliveryAsync(Bh, "intake-appointment-attended");
        using (var psw = gateway.ClientFor(GatewayFixture.Psw))
        {
            Assert.Equal(HttpStatusCode.OK, (await psw.PostAsync($"/fhir/Consent/{flow.ConsentId}/$revoke", null)).StatusCode);
        }

        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.True(exit == 0, output);
        Assert.Contains("RESOURCES INTACT", output);
    }

    [Fact]
    public async Task Read_TaskOwnerChangedInTheDatabase_Answers500IntegrityFailureAndIsAudited()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJson("Task", flow.TaskId, 1, task => task["owner"] = new JsonObject { ["reference"] = $"Organization/{GatewayFixture.Veterans}" });

        using var provider = gateway.ClientFor(Bh);
        var response = await provider.GetAsync($"/fhir/Task/{flow.TaskId}");
        var body = await response.Content.ReadAsStringAsync();

        // Not a silent 404 for the rightful partner, and not the changed record either.
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var outcome = JsonNode.Parse(body)!;
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Equal("exception", outcome["issue"]![0]!["code"]!.GetValue<string>());
        Assert.Contains("integrity", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>());
        Assert.DoesNotContain(ReferralSamples.PersonData, body.Contains);
        Assert.DoesNotContain(flow.TaskId, body);
        Assert.Equal(1, Database.Count(gateway, "AuditRecords", $"instr(Payload, 'integrity-failure Task/{flow.TaskId}/_history/1') > 0"));
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("Integrity failure"));
    }

    [Fact]
    public async Task Read_TaskOwnerChanged_IsNotServedToTheNewOwnerEither()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJson("Task", flow.TaskId, 1, task => task["owner"] = new JsonObject { ["reference"] = $"Organization/{GatewayFixture.Veterans}" });

        using var va = gateway.ClientFor(GatewayFixture.Veterans);
        var response = await va.GetAsync($"/fhir/Task/{flow.TaskId}");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task VerifyResources_TaskOwnerChanged_ExitsTwoNamingTheVersion()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJson("Task", flow.TaskId, 1, task => task["owner"] = new JsonObject { ["reference"] = $"Organization/{GatewayFixture.Veterans}" });

        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.Equal(2, exit);
        Assert.Contains($"Task/{flow.TaskId}/_history/1: stored bytes differ from the hash recorded when it was written", output);
    }

    [Fact]
    public async Task Read_ConsentStatusChangedInTheDatabase_Answers500AndVerifyNamesIt()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJson("Consent", flow.ConsentId, 1, consent => consent["status"] = "inactive");

        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var response = await psw.GetAsync($"/fhir/Consent/{flow.ConsentId}");
        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(2, exit);
        Assert.Contains($"Consent/{flow.ConsentId}/_history/1: stored bytes differ", output);
    }

    [Fact]
    public async Task ConsentDecision_OnAnEditedConsent_IsNotMadeFromIt()
    {
        // A fresh gateway on the same file: no consent version is cached, so the decision reads the stored bytes.
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJson("Consent", flow.ConsentId, 1, consent => consent["status"] = "inactive");

        using var provider = gateway.ClientFor(Bh);
        var response = await provider.GetAsync($"/fhir/Task/{flow.TaskId}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task VerifyResources_VersionRowDeleted_NamesTheDeletedVersion()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "accepted")).StatusCode);
        new ResourceTampering(gateway.DatabasePath).DeleteVersion("Task", flow.TaskId, 2);

        var (exit, output) = await VerifyResourcesAsync(gateway);
        using var provider = gateway.ClientFor(Bh);
        var read = await provider.GetAsync($"/fhir/Task/{flow.TaskId}");

        Assert.Equal(2, exit);
        Assert.Contains($"Task/{flow.TaskId}/_history/2: written by audit record", output);
        Assert.Contains("no longer stored (deleted", output);
        // The head still names the deleted version: an integrity failure, not "not found".
        Assert.Equal(HttpStatusCode.InternalServerError, read.StatusCode);
    }

    [Fact]
    public async Task VerifyResources_VersionRowInsertedWithoutAuditRecord_NamesIt()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).InsertVersion("Task", flow.TaskId, 2, task => task["status"] = "cancelled");

        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.Equal(2, exit);
        Assert.Contains($"Task/{flow.TaskId}/_history/2: no audit record covers this version (added outside the gateway", output);
    }

    [Fact]
    public async Task VerifyResources_RowAndHashColumnEditedTogether_IsCaughtAgainstTheAuditRecord()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        new ResourceTampering(gateway.DatabasePath).EditJsonAndHash("Task", flow.TaskId, 1, task => task["owner"] = new JsonObject { ["reference"] = $"Organization/{GatewayFixture.Veterans}" });

        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.Equal(2, exit);
        Assert.Contains($"Task/{flow.TaskId}/_history/1: its stored hash differs from audit record", output);
    }

    [Fact]
    public async Task VerifyResources_HeadMovedBackToAnOlderVersion_IsReportedAsRolledBack()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var flow = await NewReferralAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, (await flow.MoveAsync(Bh, "accepted")).StatusCode);
        new AuditTampering(gateway).Execute("UPDATE \"ResourceHeads\" SET \"CurrentVersion\" = 1 WHERE \"ResourceType\" = 'Task' AND \"ResourceId\" = @id", ("@id", flow.TaskId));

        var (exit, output) = await VerifyResourcesAsync(gateway);

        Assert.Equal(2, exit);
        Assert.Contains($"Task/{flow.TaskId}: its head names version 1 but version 2 is stored (rolled back", output);
    }

    private static async Task<(int Exit, string Output)> VerifyResourcesAsync(GatewayFixture gateway)
    {
        var writer = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync(["audit", "verify", "--resources", "--database", gateway.DatabasePath,
            "--signing-key", Path.Combine(gateway.RootDirectory, "certs", "audit-signing.key")], writer);
        return (exit, writer.ToString());
    }

    private static async Task<CoveredReferral> NewReferralAsync(GatewayFixture gateway)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).First(l => l.StartsWith(type + "/")).Split('/')[1];
        return new CoveredReferral(gateway, taskId, Of("ServiceRequest"), Of("Patient"), Of("Consent"));
    }

    /// <summary>A referral flow that also knows its Consent.</summary>
    private sealed class CoveredReferral(GatewayFixture gateway, string taskId, string serviceRequestId, string patientId, string consentId)
    {
        private readonly ReferralFlow _flow = new(gateway, taskId, serviceRequestId, patientId);
        public string TaskId => taskId;
        public string ConsentId => consentId;
        public Task<HttpResponseMessage> MoveAsync(string partner, string status) => _flow.MoveAsync(partner, status);
        public Task<string> RecordDeliveryAsync(string partner, string code) => _flow.RecordDeliveryAsync(partner, code);
    }
}
