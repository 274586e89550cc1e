using System.Text.Json;
using System.Text.Json.Serialization;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Routing;

/// <summary>
/// Which partner kinds serve which referral categories (read from the embedded
/// <c>category-routing.json</c>): decides who may receive a directed referral and who may claim an
/// open one.
/// </summary>
public sealed class CategoryRouting
{
    private readonly Dictionary<string, CategoryRoute> _routes;
    private readonly string _multipleNeedsService;

    private CategoryRouting(RoutingFile file)
    {
        _routes = file.Categories;
        _multipleNeedsService = file.MultipleNeedsService;
    }

    public static CategoryRouting Default { get; } = LoadEmbedded();

    public IReadOnlyCollection<string> Categories => _routes.Keys;

    public bool IsKnownCategory(string category) => _routes.ContainsKey(category);

    public bool Serves(PartnerKind kind, IEnumerable<string> categories) =>
        categories.Any(c => _routes.TryGetValue(c, out var route) && route.Kinds.Contains(kind.ToCode()));

    public string ServiceFor(IReadOnlyList<string> categories) =>
        categories.Count == 1 && _routes.TryGetValue(categories[0], out var route) ? route.Service : _multipleNeedsService;

    public string? DataClassFor(string category) => _routes.GetValueOrDefault(category)?.DataClass;

    private static CategoryRouting LoadEmbedded()
    {
        using var stream = typeof(CategoryRouting).Assembly.GetManifestResourceStream("ReferralExchange.Core.Routing.category-routing.json")
            ?? throw new InvalidOperationException("category-routing.json is not embedded");
        var file = JsonSerializer.Deserialize<RoutingFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("category-routing.json is empty");
        return new CategoryRouting(file);
    }

    private sealed record RoutingFile(Dictionary<string, CategoryRoute> Categories, string MultipleNeedsService);

    private sealed record CategoryRoute(string Service, string[] Kinds, string DataClass);
}
