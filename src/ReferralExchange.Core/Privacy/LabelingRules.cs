using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReferralExchange.Core.Privacy;

/// <summary>The embedded <c>labeling-rules.json</c>: labels and classes (purposes of use: Authorization/purpose-of-use.json; minimum necessary: <see cref="MinimumNecessaryRules"/>).</summary>
public sealed class LabelingRules
{
    public static LabelingRules Default { get; } = Load();

    public Dictionary<string, string[]> CategoryLabels { get; init; } = [];
    public Dictionary<string, string[]> ClassLabels { get; init; } = [];
    public ConfidentialityRule Confidentiality { get; init; } = new();
    public Dictionary<string, string[]> ResourceClasses { get; init; } = [];
    public List<ElementClassRule> ElementClasses { get; init; } = [];
    public RecipientAuthoredRule RecipientAuthored { get; init; } = new();

    public IEnumerable<string> LabelsOfClass(string dataClass) => ClassLabels.GetValueOrDefault(dataClass) ?? [];

    public IEnumerable<string> LabelsOfCategory(string category) => CategoryLabels.GetValueOrDefault(category) ?? [];

    public IReadOnlyList<string> ClassesOf(string resourceType) => ResourceClasses.GetValueOrDefault(resourceType) ?? [];

    /// <summary>The highest confidentiality the labels call for (N &lt; R &lt; V).</summary>
    public string ConfidentialityFor(IEnumerable<string> labels)
    {
        var order = "NRV";
        return labels.Select(l => Confidentiality.ByLabel.GetValueOrDefault(l, Confidentiality.Default))
            .Append(Confidentiality.Default)
            .MaxBy(c => order.IndexOf(c, StringComparison.Ordinal))!;
    }

    private static LabelingRules Load()
    {
        using var stream = typeof(LabelingRules).Assembly.GetManifestResourceStream("ReferralExchange.Core.Privacy.labeling-rules.json")
            ?? throw new InvalidOperationException("labeling-rules.json is not embedded");
        return JsonSerializer.Deserialize<LabelingRules>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("labeling-rules.json is empty");
    }

    public sealed record ConfidentialityRule
    {
        public string Default { get; init; } = "N";
        public Dictionary<string, string> ByLabel { get; init; } = [];
    }

    public sealed record ElementClassRule(string ResourceType, string Element, string Class);

    public sealed record RecipientAuthoredRule
    {
        public string[] Types { get; init; } = [];
    }
}
