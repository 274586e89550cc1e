using System.Text.Json;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// The embedded <c>minimum-necessary.json</c>: per resource type, the element paths the referral
/// source may see of what the receiving partner adds (HIPAA 45 CFR §164.502(b) minimum necessary),
/// the coded paths and the ValueSets their codings must come from, and the required elements that
/// leave masked when their content is withheld.
/// </summary>
public sealed class MinimumNecessaryRules
{
    public static MinimumNecessaryRules Default { get; } = Load();

    /// <summary>The consent class that, granted to the source, lifts the whitelist.</summary>
    public string UnlessClass { get; init; } = "outcome";

    public Dictionary<string, ResourceRule> Resources { get; init; } = [];

    public ResourceRule? For(string resourceType) => Resources.GetValueOrDefault(resourceType);

    private static MinimumNecessaryRules Load()
    {
        using var stream = typeof(MinimumNecessaryRules).Assembly.GetManifestResourceStream("ReferralExchange.Core.Privacy.minimum-necessary.json")
            ?? throw new InvalidOperationException("minimum-necessary.json is not embedded");
        var rules = JsonSerializer.Deserialize<MinimumNecessaryRules>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("minimum-necessary.json is empty");
        foreach (var (type, rule) in rules.Resources)
        {
            var stray = rule.Allow.Concat(rule.Coded.Keys).Concat(rule.Masked).Where(p => !p.StartsWith(type + ".", StringComparison.Ordinal)).ToList();
            var codedNotAllowed = rule.Coded.Keys.Where(p => !rule.Allow.Contains(p)).ToList();
            if (stray.Count > 0 || codedNotAllowed.Count > 0)
            {
                // A rules file that names another type's paths, or a coded path it does not allow, is a policy bug: fail at start.
                throw new InvalidOperationException($"minimum-necessary.json: bad paths for {type}: {string.Join(", ", stray.Concat(codedNotAllowed))}");
            }
        }
        return rules;
    }

    public sealed record ResourceRule
    {
        public string[] Allow { get; init; } = [];
        public Dictionary<string, string[]> Coded { get; init; } = [];
        public string[] Masked { get; init; } = [];
    }
}
