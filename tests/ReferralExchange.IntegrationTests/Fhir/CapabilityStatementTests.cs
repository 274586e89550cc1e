using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Gateway.Fhir.Capabilities;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Fhir;

/// <summary>
/// Issue 14 point 4, an honest CapabilityStatement: every declared interaction, operation and search
/// parameter is served (never 405, never a 404 for an unknown endpoint or type), and every /fhir
/// route is declared (or marked as no capability, with its reason). rest.security names SMART.
/// </summary>
public sealed class CapabilityStatementTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Security_NamesSmartOnFhirAndTheTokenUrl()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var security = (await MetadataAsync(client))["rest"]![0]!["security"]!;

        Assert.Equal("SMART-on-FHIR", security["service"]![0]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(CapabilityStatementBuilder.RestfulSecurityService, security["service"]![0]!["coding"]![0]!["system"]!.GetValue<string>());
        var uris = security["extension"]!.AsArray().Single(e => e!["url"]!.GetValue<string>() == CapabilityStatementBuilder.OAuthUrisExtension)!;
        var token = uris["extension"]!.AsArray().Single(e => e!["url"]!.GetValue<string>() == "token")!["valueUri"]!.GetValue<string>();
        Assert.Equal($"{gateway.PublicBaseUrl}/connect/token", token);
    }

    [Fact]
    public async Task Statement_DeclaresWhatIssue14FoundMissing_AndNoConditionalCreate()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var statement = await MetadataAsync(client);

        Assert.Contains("create", Interactions(statement, "Procedure"));
        Assert.Contains("create", Interactions(statement, "Subscription"));
        Assert.Contains("search-type", Interactions(statement, "AuditEvent"));
        Assert.Contains("claim", Operations(statement, "Task"));
        Assert.Contains("revoke", Operations(statement, "Consent"));
        Assert.Contains("accounting-of-disclosures", Operations(statement, "Patient"));
        Assert.DoesNotContain("create", Interactions(statement, "ServiceRequest"));
        Assert.All(Resources(statement), r => Assert.Null(r["conditionalCreate"]));
        // Both encodings are served (http.html#mime), so both are declared.
        Assert.Contains("application/fhir+xml", statement["format"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task EveryFhirRoute_IsDeclaredInTheStatement()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var statement = await MetadataAsync(client);
        var routes = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw == "/fhir" || raw.StartsWith("/fhir/", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var interactions = route.Metadata.OfType<FhirInteraction>().ToList();
            Assert.True(interactions.Count > 0 || route.Metadata.OfType<NotACapability>().Any(), $"{route.RoutePattern.RawText} is neither declared nor marked as no capability");
            foreach (var interaction in interactions)
            {
                if (interaction.ResourceTypes.Count == 0)
                {
                    Assert.Contains(interaction.Code, statement["rest"]![0]!["interaction"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()));
                }
                foreach (var type in interaction.ResourceTypes)
                {
                    var declared = interaction.Operation is { } operation ? Operations(statement, type) : Interactions(statement, type);
                    Assert.Contains(interaction.Operation ?? interaction.Code, declared);
                    Assert.All(interaction.SearchParameters, p => Assert.Contains(p.Name, SearchParams(statement, type)));
                }
            }
        }
    }

    [Fact]
    public async Task EveryDeclaredInteraction_IsServed()
    {
        var ids = await ReferralIdsAsync();
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var statement = await MetadataAsync(client);
        var failures = new List<string>();

        foreach (var code in statement["rest"]![0]!["interaction"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()))
        {
            Assert.Equal("transaction", code);
            await ExpectServedAsync(client, HttpMethod.Post, "/fhir", failures, "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}");
        }
        foreach (var resource in Resources(statement))
        {
            var type = resource["type"]!.GetValue<string>();
            var id = ids.GetValueOrDefault(type, "unknown-id");
            foreach (var code in Interactions(statement, type))
            {
                var (method, path) = code switch
                {
                    "read" => (HttpMethod.Get, $"/fhir/{type}/{id}"),
                    "vread" => (HttpMethod.Get, $"/fhir/{type}/{id}/_history/1"),
                    "history-instance" => (HttpMethod.Get, $"/fhir/{type}/{id}/_history"),
                    "history-type" => (HttpMethod.Get, $"/fhir/{type}/_history"),
                    "update" => (HttpMethod.Put, $"/fhir/{type}/{id}"),
                    "create" => (HttpMethod.Post, $"/fhir/{type}"),
                    "search-type" => (HttpMethod.Get, $"/fhir/{type}"),
                    _ => throw new InvalidOperationException($"{type}: no probe for the declared interaction {code}"),
                };
                await ExpectServedAsync(client, method, path, failures, method == HttpMethod.Get ? null : $"{{\"resourceType\":\"{type}\"}}");
            }
            // Under Prefer: handling=strict a parameter or include the server does not apply is 400,
            // so a declared one that is silently ignored fails here (search.html#errors).
            var probes = SearchParams(statement, type).Select(p => (p, SampleValue(type, p, ids)))
                .Concat(Strings(resource["searchInclude"]).Select(i => ("_include", i)))
                .Concat(Strings(resource["searchRevInclude"]).Select(i => ("_revinclude", i)));
            foreach (var (parameter, value) in probes)
            {
                using var probe = new HttpRequestMessage(HttpMethod.Get, $"/fhir/{type}?{parameter}={Uri.EscapeDataString(value)}");
                probe.Headers.Add("Prefer", "handling=strict");
                var response = await client.SendAsync(probe);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"GET {type}?{parameter}={value}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            foreach (var operation in Operations(statement, type))
            {
                // An operation that changes nothing may be invoked with GET (FHIR R4 §3.1.0.13.1); try POST first.
                var posted = await SendAsync(client, HttpMethod.Post, $"/fhir/{type}/{id}/${operation}", null);
                var served = IsServed(posted.Response, posted.Body) ? posted : await SendAsync(client, HttpMethod.Get, $"/fhir/{type}/{id}/${operation}", null);
                if (!IsServed(served.Response, served.Body))
                {
                    failures.Add($"{type}/{id}/${operation}: {(int)served.Response.StatusCode} {served.Body}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task EveryDeclaredRead_AnswersHeadAsItAnswersGet()
    {
        // http.html: HEAD is GET without the body, for every read-only interaction the statement declares.
        var ids = new Dictionary<string, string>(await ReferralIdsAsync())
        {
            ["Device"] = ReferralExchange.Core.Audit.AuditServer.DefaultDeviceId,
        };
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        await gateway.RegisterNotificationEndpointAsync(GatewayFixture.BehavioralHealth, "https://hooks.bh-riverside.example/fhir");
        var subscription = await client.PostFhirAsync("/fhir/Subscription", new JsonObject
        {
            ["resourceType"] = "Subscription",
            ["status"] = "requested",
            ["reason"] = "My inbox",
            ["criteria"] = $"Task?owner=Organization/{GatewayFixture.BehavioralHealth}",
            ["channel"] = new JsonObject { ["type"] = "rest-hook", ["endpoint"] = "https://hooks.bh-riverside.example/fhir/hook", ["payload"] = "application/fhir+json" },
        }.ToJsonString());
        ids["Subscription"] = (await subscription.JsonAsync())["id"]!.GetValue<string>();
        var events = await (await client.GetAsync("/fhir/AuditEvent?_count=1")).JsonAsync();
        ids["AuditEvent"] = events["entry"]![0]!["resource"]!["id"]!.GetValue<string>();
        var statement = await MetadataAsync(client);
        var failures = new List<string>();

        foreach (var resource in Resources(statement))
        {
            var type = resource["type"]!.GetValue<string>();
            var id = ids.GetValueOrDefault(type, "unknown-id");
            var paths = Interactions(statement, type).Select(code => code switch
            {
                "read" => $"/fhir/{type}/{id}",
                "vread" => $"/fhir/{type}/{id}/_history/1",
                "history-instance" => $"/fhir/{type}/{id}/_history",
                "history-type" => $"/fhir/{type}/_history",
                "search-type" => $"/fhir/{type}",
                _ => null,
            }).OfType<string>();
            foreach (var path in paths)
            {
                var get = await client.GetAsync(path);
                var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
                if (head.StatusCode != get.StatusCode || (await head.Content.ReadAsByteArrayAsync()).Length > 0)
                {
                    failures.Add($"HEAD {path}: {(int)head.StatusCode}, GET: {(int)get.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Served: not 405, and not a 404 for an endpoint or type that does not exist (a missing or hidden resource is "not-found").</summary>
    private static bool IsServed(HttpResponseMessage response, string body) =>
        response.StatusCode != HttpStatusCode.MethodNotAllowed
        && !(response.StatusCode == HttpStatusCode.NotFound && !body.Contains("\"not-found\"", StringComparison.Ordinal));

    private static async Task ExpectServedAsync(HttpClient client, HttpMethod method, string path, List<string> failures, string? body)
    {
        var (response, text) = await SendAsync(client, method, path, body);
        if (!IsServed(response, text))
        {
            failures.Add($"{method} {path}: {(int)response.StatusCode} {text}");
        }
    }

    private static async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        }
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string SampleValue(string type, string parameter, IReadOnlyDictionary<string, string> ids) => (type, parameter) switch
    {
        (_, "_count" or "_offset") => "5",
        (_, "_total") => "accurate",
        (_, "_lastUpdated") => "gt2020-01-01",
        (_, "_id") => ids.GetValueOrDefault(type, "unknown-id"),
        (_, "_sort") => "-_lastUpdated",
        (_, "_summary") => "true",
        (_, "_elements") => "id",
        (_, "status") => "requested",
        (_, "owner" or "requester") => $"Organization/{GatewayFixture.BehavioralHealth}",
        (_, "patient") => $"Patient/{ids["Patient"]}",
        (_, "focus") => $"ServiceRequest/{ids["ServiceRequest"]}",
        _ => throw new InvalidOperationException($"no sample value for {type}?{parameter}: add one when declaring it"),
    };

    /// <summary>A referral from the PSW to behavioral health: real ids of each resource it created, and a real cursor.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ReferralIdsAsync()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        var (_, response) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        var ids = response["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>().Split('/'))
            .GroupBy(parts => parts[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        ids["Organization"] = GatewayFixture.BehavioralHealth;
        return ids;
    }

    private static async Task<JsonObject> MetadataAsync(HttpClient client) => await (await client.GetAsync("/fhir/metadata")).JsonAsync();

    private static IEnumerable<JsonNode> Resources(JsonNode statement) => statement["rest"]![0]!["resource"]!.AsArray().Select(r => r!);

    private static JsonNode Resource(JsonNode statement, string type) => Resources(statement).Single(r => r["type"]!.GetValue<string>() == type);

    private static string[] Interactions(JsonNode statement, string type) =>
        Resource(statement, type)["interaction"]?.AsArray().Select(i => i!["code"]!.GetValue<string>()).ToArray() ?? [];

    private static string[] Operations(JsonNode statement, string type) =>
        Resource(statement, type)["operation"]?.AsArray().Select(o => o!["name"]!.GetValue<string>()).ToArray() ?? [];

    private static IEnumerable<string> Strings(JsonNode? array) => array?.AsArray().Select(v => v!.GetValue<string>()) ?? [];

    private static string[] SearchParams(JsonNode statement, string type) =>
        Resource(statement, type)["searchParam"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToArray() ?? [];
}
