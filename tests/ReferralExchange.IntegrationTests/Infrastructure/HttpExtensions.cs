using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

public static class HttpExtensions
{
    public const string FhirJson = "application/fhir+json";

    public static Task<HttpResponseMessage> PostNativeAsync(this HttpClient client, JsonNode referral) =>
        client.PostAsync("/referrals", new StringContent(referral.ToJsonString(), Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostFhirAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, FhirJson));

    public static async Task<HttpResponseMessage> PutFhirAsync(this HttpClient client, string path, JsonNode resource, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path)
        {
            Content = new StringContent(resource.ToJsonString(), Encoding.UTF8, FhirJson),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    /// <summary>Submits a native referral as the PSW and returns the Task id it created.</summary>
    public static async Task<(string TaskId, JsonObject Response)> SubmitReferralAsync(this HttpClient psw, JsonNode referral)
    {
        var response = await psw.PostNativeAsync(referral);
        var body = await response.JsonAsync();
        if (response.StatusCode != System.Net.HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Submission failed: {(int)response.StatusCode} {body.ToJsonString()}");
        }
        var location = body["entry"]!.AsArray()
            .Select(e => e!["response"]!["location"]!.GetValue<string>())
            .Single(l => l.StartsWith("Task/", StringComparison.Ordinal));
        return (location.Split('/')[1], body);
    }

    public static string[] IssueExpressions(this JsonObject outcome) =>
        outcome["issue"]!.AsArray()
            .SelectMany(i => i!["expression"]?.AsArray().Select(e => e!.GetValue<string>()) ?? [])
            .ToArray();
}
