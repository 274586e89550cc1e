using System.Diagnostics;
using System.Net;
using System.Text;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

/// <summary>Issue 13 §3, the cases found by fuzzing: each answers 4xx with an OperationOutcome, and error answers are bounded.</summary>
public sealed class BadInputTests(BadInputTests.LargeBodyGateway gateway) : IClassFixture<BadInputTests.LargeBodyGateway>
{
    /// <summary>Room for the 81 KB body of the issue's report; single resources stop at 128 KB.</summary>
    public sealed class LargeBodyGateway : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Gateway:MaxRequestBodyBytes", (1024 * 1024).ToString()),
            new("Gateway:MaxResourceBodyBytes", (128 * 1024).ToString()),
        ];
    }

    public static TheoryData<string, string> SdkCrashers()
    {
        var data = new TheoryData<string, string>();
        foreach (var path in new[] { "PUT /fhir/Task/any", "POST /fhir", "POST /fhir/Procedure", "POST /fhir/Subscription" })
        {
            data.Add(path, "{\"resourceType\":\"Task\",\"\":1}");
            data.Add(path, "{\"resourceType\":\"Task\",\"contained\":1}");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SdkCrashers))]
    public async Task Write_BodyThatCrashedTheSdk_Answers400WithOperationOutcome(string route, string body)
    {
        using var client = gateway.ClientFor(WriterOf(route));
        var response = await SendAsync(client, route, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.JsonAsync();
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.NotEmpty(outcome.IssueExpressions());
    }

    [Fact]
    public async Task TaskUpdate_TwentyThousandEmptyInputs_AnswersHundredIssuesWithinASecond()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var body = "{\"resourceType\":\"Task\",\"id\":\"any\",\"status\":\"accepted\",\"intent\":\"order\",\"input\":["
            + string.Join(",", Enumerable.Repeat("{}", 20_000)) + "]}";
        await SendAsync(client, "PUT /fhir/Task/any", body); // warm-up: the first parse of a type builds the SDK's maps

        var clock = Stopwatch.StartNew();
        var response = await SendAsync(client, "PUT /fhir/Task/any", body);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var issues = System.Text.Json.Nodes.JsonNode.Parse(text)!["issue"]!.AsArray();
        Assert.Equal(100, issues.Count);
        Assert.Contains("more", issues[^1]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(text.Length < 64 * 1024, $"answer is {text.Length} bytes");
        Assert.True(clock.ElapsedMilliseconds < 1000, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("PUT /fhir/Task/any", 129 * 1024)]
    [InlineData("POST /fhir/Procedure", 129 * 1024)]
    [InlineData("POST /fhir", 1025 * 1024)]
    public async Task Write_BodyOverItsEndpointLimit_Answers413WithOperationOutcome(string route, int size)
    {
        using var client = gateway.ClientFor(WriterOf(route));
        var body = "{\"resourceType\":\"Task\",\"note\":[{\"text\":\"" + new string('x', size) + "\"}]}";

        var response = await SendAsync(client, route, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("too-long", (await response.JsonAsync())["issue"]![0]!["code"]!.GetValue<string>());
    }

    // Referrals come from a referral source; Task updates, Procedures and Subscriptions from a provider.
    private static string WriterOf(string route) => route == "POST /fhir" ? GatewayFixture.Psw : GatewayFixture.BehavioralHealth;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string route, string body)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, HttpExtensions.FhirJson) };
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"1\"");
        return client.SendAsync(request);
    }
}
