using System.Net;
using System.Text;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>Logs are not the audit trail and hold no PHI: not in successes, not in failures.</summary>
public sealed class LogPrivacyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Logs_AfterSuccessfulAndFailedRequests_HoldNoPersonDataNorRawPaths()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var referral = ReferralSamples.Native();
        var (taskId, response) = await psw.SubmitReferralAsync(referral);
        var patientId = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>()).Single(l => l.StartsWith("Patient/")).Split('/')[1];
        await provider.GetAsync($"/fhir/Patient/{patientId}");
        await provider.GetAsync($"/fhir/Task?patient=Patient/{patientId}");

        // Failures that put PHI where a value of another type is expected: parsers love quoting it.
        var badDate = ReferralSamples.Native();
        badDate["person"]!["birthDate"] = ReferralSamples.FamilyName;
        await psw.PostNativeAsync(badDate);
        var wrongType = ReferralSamples.Native();
        wrongType["urgency"] = 12;
        wrongType["narrative"] = new System.Text.Json.Nodes.JsonArray(ReferralSamples.Narrative);
        await psw.PostNativeAsync(wrongType);
        await psw.PostAsync("/fhir", new StringContent(
            $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","birthDate":"{{{ReferralSamples.GivenName}}}"}}]}""",
            Encoding.UTF8, "application/fhir+json"));
        await psw.PostAsync("/referrals", new StringContent("{\"person\": {\"familyName\": \"" + ReferralSamples.FamilyName, Encoding.UTF8, "application/json"));

        var logs = string.Join('\n', gateway.Logs.Lines);
        Assert.NotEmpty(gateway.Logs.Lines);
        Assert.Contains("RouteTemplate", logs);
        foreach (var secret in new[] { ReferralSamples.FamilyName, ReferralSamples.GivenName, ReferralSamples.BirthDate, ReferralSamples.Phone, ReferralSamples.Narrative,
                     referral["person"]!["personId"]!.GetValue<string>(), referral["referralId"]!.GetValue<string>(), patientId, taskId })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ErrorResponses_NeverEchoTheOffendingValue()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var badDate = ReferralSamples.Native();
        badDate["person"]!["birthDate"] = ReferralSamples.FamilyName;

        var response = await psw.PostNativeAsync(badDate);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.DoesNotContain(ReferralSamples.FamilyName, await response.Content.ReadAsStringAsync());
    }
}
