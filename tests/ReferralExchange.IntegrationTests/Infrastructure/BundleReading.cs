using System.Text.Json.Nodes;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Reads searchset and history Bundles: links, entries by mode, and whole walks along next links.</summary>
public static class BundleReading
{
    public static string? Link(this JsonObject bundle, string relation) =>
        bundle["link"]?.AsArray().FirstOrDefault(l => l!["relation"]!.GetValue<string>() == relation)?["url"]!.GetValue<string>();

    public static IReadOnlyList<JsonObject> Resources(this JsonObject bundle, string? mode = null) =>
        bundle["entry"]?.AsArray()
            .Where(e => mode is null || e!["search"]?["mode"]?.GetValue<string>() == mode)
            .Select(e => e!["resource"]!.AsObject())
            .ToList() ?? [];

    /// <summary>"Type/id" of each entry, in order.</summary>
    public static IReadOnlyList<string> References(this JsonObject bundle, string? mode = null) =>
        bundle.Resources(mode).Select(r => $"{r["resourceType"]!.GetValue<string>()}/{r["id"]!.GetValue<string>()}").ToList();

    public static IReadOnlyList<string> MatchIds(this JsonObject bundle) =>
        bundle.Resources("match").Select(r => r["id"]!.GetValue<string>()).ToList();

    /// <summary>Follows next links from <paramref name="first"/>, calling <paramref name="between"/> after each page (to change data mid-walk).</summary>
    public static async Task<List<JsonObject>> WalkAsync(this HttpClient client, string first, Func<int, Task>? between = null)
    {
        var pages = new List<JsonObject>();
        string? next = first;
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            var page = await response.JsonAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{(int)response.StatusCode}: {page.ToJsonString()}");
            }
            pages.Add(page);
            next = page.Link("next") is { } url ? new Uri(url).PathAndQuery : null;
            if (between is not null && next is not null)
            {
                await between(pages.Count);
            }
        }
        return pages;
    }
}
