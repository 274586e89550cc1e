using System.Xml;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// The narrative rule the XHTML schema cannot say: a narrative only refers to what travels with
/// it. FHIR R4 §2.4.0.1 (Narrative): images come from the resource itself (contained Binary
/// <c>#id</c>) or are inline; a narrative that fetches from elsewhere leaks that the record was
/// opened, and a <c>javascript:</c> link is a script by another name. txt-1 (elements, event
/// attributes, scripts) is the validator's; this adds: <c>src</c> local or <c>data:</c>,
/// no <c>url(...)</c> in a style, no script schemes in <c>href</c>.
/// </summary>
public static class NarrativeReferences
{
    private static readonly string[] ScriptSchemes = ["javascript:", "vbscript:", "data:"];

    public static IReadOnlyList<Issue> Check(Resource resource)
    {
        var issues = new List<Issue>();
        if (resource is DomainResource domain)
        {
            Check(domain.Text?.Div, $"{resource.TypeName}.text.div", issues);
            for (var i = 0; i < domain.Contained.Count; i++)
            {
                Check((domain.Contained[i] as DomainResource)?.Text?.Div, $"{resource.TypeName}.contained[{i}].text.div", issues);
            }
        }
        return issues;
    }

    private static void Check(string? div, string path, List<Issue> issues)
    {
        if (string.IsNullOrEmpty(div))
        {
            return;
        }
        XElement root;
        try
        {
            root = XElement.Parse(div);
        }
        catch (XmlException)
        {
            return; // Not XHTML at all: txt-1 already reports it.
        }
        foreach (var attribute in root.DescendantsAndSelf().Attributes())
        {
            var name = attribute.Name.LocalName.ToLowerInvariant();
            var value = attribute.Value.Trim().ToLowerInvariant();
            var refused = name switch
            {
                "src" => !(value.StartsWith('#') || value.StartsWith("data:image/", StringComparison.Ordinal)),
                "href" => ScriptSchemes.Any(s => value.Replace(" ", string.Empty).StartsWith(s, StringComparison.Ordinal)),
                "style" => value.Contains("url(", StringComparison.Ordinal) || value.Contains("expression(", StringComparison.Ordinal),
                _ => false,
            };
            if (refused)
            {
                issues.Add(new Issue("invariant",
                    $"The narrative refers outside the resource or to a script ({attribute.Parent?.Name.LocalName}@{name}): images must be contained (#id) or inline, links must not be scripts", path));
            }
        }
    }
}
