using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

/// <summary>
/// Issue 13 §3, as a property: a valid body for every write endpoint, broken at random by
/// <see cref="JsonMutator"/>, never makes the real gateway answer 5xx; every refusal is an
/// OperationOutcome. A few hundred cases per endpoint keep the class well under a minute.
/// </summary>
public sealed class HostileBodyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int CasesPerEndpoint = 200;

    [Fact]
    public Task NativeReferral_MutatedBodies_NeverAnswer5xx() =>
        NeverServerErrorAsync(GatewayFixture.Psw, HttpMethod.Post, "/referrals", "application/json", () => ReferralSamples.Native());

    [Fact]
    public Task Transaction_MutatedBodies_NeverAnswer5xx() =>
        NeverServerErrorAsync(GatewayFixture.Psw, HttpMethod.Post, "/fhir", HttpExtensions.FhirJson,
            () => TransactionSamples.Referral("T-" + Guid.NewGuid().ToString("N")[..10], ifNoneExist: false));

    [Fact]
    public async Task TaskUpdate_MutatedBodies_NeverAnswer5xx()
    {
        var referral = await SubmitAsync();
        using var owner = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var task = await (await owner.GetAsync($"/fhir/Task/{referral.TaskId}")).JsonAsync();
        task["status"] = "accepted";
        var version = task["meta"]!["versionId"]!.GetValue<string>();
        // If-Match follows the Task as mutated updates succeed, so the checks after parsing run too.
        await NeverServerErrorAsync(GatewayFixture.BehavioralHealth, HttpMethod.Put, $"/fhir/Task/{referral.TaskId}", HttpExtensions.FhirJson,
            () => task, request => request.Headers.TryAddWithoutValidation("If-Match", $"W/\"{version}\""),
            response => version = response.Headers.ETag?.Tag.Trim('"') ?? version);
    }

    [Fact]
    public async Task Procedure_MutatedBodies_NeverAnswer5xx()
    {
        var referral = await SubmitAsync();
        await NeverServerErrorAsync(GatewayFixture.BehavioralHealth, HttpMethod.Post, "/fhir/Procedure", HttpExtensions.FhirJson, () => new JsonObject
        {
            ["resourceType"] = "Procedure",
            ["basedOn"] = new JsonArray(new JsonObject { ["reference"] = $"ServiceRequest/{referral.ServiceRequestId}" }),
            ["status"] = "completed",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://referral-exchange.example/fhir/CodeSystem/delivered-service", ["code"] = "intake-appointment-attended" }) },
            ["subject"] = new JsonObject { ["reference"] = $"Patient/{referral.PatientId}" },
            ["performedDateTime"] = "2026-11-25T10:00:00Z",
        });
    }

    [Fact]
    public Task Subscription_MutatedBodies_NeverAnswer5xx() =>
        NeverServerErrorAsync(GatewayFixture.BehavioralHealth, HttpMethod.Post, "/fhir/Subscription", HttpExtensions.FhirJson, () => new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{GatewayFixture.BehavioralHealth}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = "https://hooks.bh-riverside.example/fhir", ["payload"] = "application/fhir+json" },
        });

    private async Task NeverServerErrorAsync(string partner, HttpMethod method, string path, string mediaType, Func<JsonNode> valid,
        Action<HttpRequestMessage>? prepare = null, Action<HttpResponseMessage>? succeeded = null)
    {
        using var client = gateway.ClientFor(partner);
        var history = new List<string>();
        await JsonMutator.Mutations.SampleAsync(async mutations =>
        {
            var body = JsonMutator.Apply(valid(), mutations);
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            prepare?.Invoke(request);
            var cases = string.Join(",", mutations.Select(m => m.ToString()));
            HttpResponseMessage sent;
            try
            {
                sent = await client.SendAsync(request);
            }
            catch (HttpRequestException) when (body.Length > gateway.MaxBodyBytes)
            {
                // Over the limit the gateway answers 413 before reading the rest and closes the
                // connection; a client still uploading may see the pipe break instead of the answer.
                return;
            }
            catch (HttpRequestException error)
            {
                throw new Xunit.Sdk.XunitException($"{error.Message} {error.InnerException} for {cases}: {Preview(body)} {ServerErrors()} AFTER {string.Join(" || ", history.TakeLast(3))}");
            }
            using var response = sent;
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            history.Add($"{status} {response.Version} {response.Headers.ConnectionClose} {cases} {Preview(body)[..Math.Min(120, body.Length)]}");
            Assert.True(status < 500, $"{status} for {cases}: {Preview(body)} {ServerErrors()}");
            if (status >= 400)
            {
                Assert.Equal("OperationOutcome", JsonNode.Parse(text)?["resourceType"]?.GetValue<string>());
            }
            else
            {
                succeeded?.Invoke(response);
            }
        }, iter: CasesPerEndpoint, threads: 1, print: m => string.Join(",", m.Select(x => x.ToString())));
    }

    private string ServerErrors() => string.Join(" | ", gateway.Logs.Lines.Where(l => !l.Contains("\"Information\"", StringComparison.Ordinal) && l.Contains("@l", StringComparison.Ordinal)).TakeLast(5));

    private static string Preview(byte[] body) => Encoding.UTF8.GetString(body[..Math.Min(body.Length, 300)]);

    private async Task<(string TaskId, string ServiceRequestId, string PatientId)> SubmitAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var (taskId, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        string Of(string type) => response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>())
            .Single(l => l.StartsWith(type + "/", StringComparison.Ordinal)).Split('/')[1];
        return (taskId, Of("ServiceRequest"), Of("Patient"));
    }
}
