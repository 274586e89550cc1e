using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using ReferralExchange.IntegrationTests.Infrastructure;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace ReferralExchange.IntegrationTests.Interop;

/// <summary>
/// Issue 14 point 7: an unmodified Firely <see cref="FhirClient"/> runs the receiving partner's
/// workflow against the real gateway, with nothing beyond the partner's client certificate: SMART
/// discovery at the FHIR base, a client_credentials token (tls_client_auth) from the token endpoint
/// it names, the inbox search with <c>_include</c> of the Task's patient and requester and its next
/// page, a read, a version-aware update (If-Match), a Procedure and the Task's completion.
/// </summary>
public sealed class FirelyFhirClientWorkflowTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const string Bh = GatewayFixture.BehavioralHealth;
    private const string DeliveredService = "https://referral-exchange.example/fhir/CodeSystem/delivered-service";

    [Fact]
    public async Task ReceivingPartner_WithFirelysFhirClient_CompletesAReferral()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        using var http = CertificateOnlyClient.For(gateway, Bh);
        var fhirBase = $"{gateway.PublicBaseUrl}/fhir";

        // Discovery and token, as a SMART Backend Services client does them.
        var smart = JsonNode.Parse(await http.GetStringAsync($"{fhirBase}/.well-known/smart-configuration"))!;
        var tokenResponse = await http.PostAsync(smart["token_endpoint"]!.GetValue<string>(), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Bh,
            ["scope"] = "system/Task.rus system/Procedure.cr system/ServiceRequest.r system/Patient.r",
        }));
        Assert.True(tokenResponse.IsSuccessStatusCode, await tokenResponse.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["access_token"]!.GetValue<string>());

        var client = new FhirClient(fhirBase, http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json });
        var capabilities = await client.CapabilityStatementAsync();
        Assert.Contains(capabilities!.Rest[0].Resource, r => r.Type == "Task");

        // The inbox, one Task a page with its patient and requester, and the next page through the server's own link.
        var inbox = await client.SearchAsync<FhirTask>(new SearchParams().Where($"owner=Organization/{Bh}").Where("status=requested")
            .Include("Task:patient").Include("Task:requester").LimitTo(1));
        var match = Assert.Single(inbox!.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
        var first = Assert.IsType<FhirTask>(match.Resource);
        var included = inbox.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Resource!).ToList();
        Assert.Contains(included, r => r is Patient && $"Patient/{r.Id}" == first.For!.Reference);
        Assert.Contains(included, r => r is Organization && $"Organization/{r.Id}" == first.Requester!.Reference);
        var next = await client.ContinueAsync(inbox);
        Assert.NotNull(next);
        var nextMatch = Assert.Single(next!.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
        Assert.NotEqual(first.Id, nextMatch.Resource!.Id);
        Assert.Contains(next.Entry, e => e.Resource is Patient);

        // Read, then a version-aware update (If-Match from meta.versionId).
        var task = await client.ReadAsync<FhirTask>($"Task/{taskId}");
        task!.Status = FhirTask.TaskStatus.Accepted;
        var accepted = await client.UpdateAsync(task, versionAware: true);
        Assert.Equal(FhirTask.TaskStatus.Accepted, accepted!.Status);
        Assert.NotEqual(task.Meta!.VersionId, accepted.Meta!.VersionId);

        // Proof of delivery, then completion naming it.
        var procedure = await client.CreateAsync(new Procedure
        {
            // The Task's focus is the referral's ServiceRequest.
            BasedOn = [accepted.Focus!],
            Status = EventStatus.Completed,
            Code = new CodeableConcept(DeliveredService, "intake-appointment-attended"),
            Subject = accepted.For!,
            Performed = new FhirDateTime(DateTimeOffset.UtcNow),
        });
        accepted.Status = FhirTask.TaskStatus.Completed;
        accepted.Output = [new FhirTask.OutputComponent { Type = new CodeableConcept { Text = "delivered" }, Value = new ResourceReference($"Procedure/{procedure!.Id}") }];
        var completed = await client.UpdateAsync(accepted, versionAware: true);

        Assert.Equal(FhirTask.TaskStatus.Completed, completed!.Status);
    }
}
