using Hl7.Fhir.Model;
using Hl7.FhirPath;

namespace ReferralExchange.Core.Intake;

/// <summary>
/// Rewrites references inside a transaction (FHIR R4 §3.1.0.11.2): <c>urn:uuid:</c> fullUrls and
/// client-chosen ids become the ids the server assigned.
/// </summary>
public static class ReferenceRewriter
{
    private static readonly CompiledExpression Descendants = new FhirPathCompiler().Compile("descendants()");

    public static IEnumerable<ResourceReference> References(Resource resource) =>
        Descendants(resource.ToPocoNode(), new EvaluationContext())
            .Select(n => n.Poco)
            .OfType<ResourceReference>();

    public static void Rewrite(Resource resource, IReadOnlyDictionary<string, string> map)
    {
        foreach (var reference in References(resource))
        {
            if (reference.Reference is { } r && map.TryGetValue(r, out var replacement))
            {
                reference.Reference = replacement;
            }
        }
    }
}
