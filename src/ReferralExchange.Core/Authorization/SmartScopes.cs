using System.Text.Json;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Authorization;

/// <summary>
/// SMART App Launch v2 system scopes (<c>system/Resource.cruds</c>): what each partner kind may be
/// granted (from the embedded <c>smart-scopes.json</c>), and whether granted scopes cover a need.
/// </summary>
public sealed class SmartScopes
{
    private readonly Dictionary<string, string[]> _byKind;

    private SmartScopes(Dictionary<string, string[]> byKind) => _byKind = byKind;

    public static SmartScopes Default { get; } = Load();

    public IReadOnlyList<string> AllowedFor(PartnerKind kind) => _byKind.GetValueOrDefault(kind.ToCode()) ?? [];

    /// <summary>Whether <paramref name="granted"/> covers <paramref name="required"/> (e.g. system/Task.rus covers system/Task.u).</summary>
    public static bool Covers(IEnumerable<string> granted, string required)
    {
        var (resource, needed) = Split(required);
        return granted.Select(Split).Any(g => (g.Resource == resource || g.Resource == "*") && needed.All(g.Permissions.Contains));
    }

    /// <summary>The scopes to grant: those asked for (each must be allowed), or all allowed when none are asked for.</summary>
    public IReadOnlyList<string>? Grant(PartnerKind kind, IReadOnlyCollection<string> requested)
    {
        var allowed = AllowedFor(kind);
        if (requested.Count == 0)
        {
            return allowed;
        }
        return requested.All(r => Covers(allowed, r)) ? requested.ToList() : null;
    }

    private static (string Resource, string Permissions) Split(string scope)
    {
        var body = scope.StartsWith("system/", StringComparison.Ordinal) ? scope["system/".Length..] : scope;
        var dot = body.LastIndexOf('.');
        return dot < 0 ? (body, string.Empty) : (body[..dot], body[(dot + 1)..]);
    }

    private static SmartScopes Load()
    {
        using var stream = typeof(SmartScopes).Assembly.GetManifestResourceStream("ReferralExchange.Core.Authorization.smart-scopes.json")
            ?? throw new InvalidOperationException("smart-scopes.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        return new SmartScopes(document.RootElement.GetProperty("kinds").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString()!).ToArray()));
    }
}
