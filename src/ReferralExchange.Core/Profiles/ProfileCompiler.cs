using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.FhirPath;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// Compiles a differential StructureDefinition (FHIR R4 §2.27 profiling) into <see cref="ElementRule"/>s.
/// FHIRPath compilation costs milliseconds, so it happens once, here, never per request.
/// Slicing is not supported: our profiles do not use it, and a profile that does is refused at
/// start-up rather than silently half-checked.
/// </summary>
public static class ProfileCompiler
{
    private static readonly FhirPathCompiler Compiler = new();
    private static readonly FhirJsonSerializer Serializer = new();

    public static CompiledProfile Compile(StructureDefinition sd)
    {
        var type = sd.Type ?? throw new InvalidOperationException($"Profile {sd.Url} has no type");
        var elements = sd.Differential?.Element ?? [];
        var rootInvariants = new List<CompiledInvariant>();
        var rules = new List<ElementRule>();

        foreach (var element in elements)
        {
            if (element.Slicing is not null || element.SliceName is not null)
            {
                throw new InvalidOperationException($"Profile {sd.Url}: slicing at {element.Path} is not supported by the checker");
            }
            var invariants = element.Constraint
                .Where(c => !string.IsNullOrWhiteSpace(c.Expression))
                .Select(c => new CompiledInvariant(c.Key ?? string.Empty, c.Human ?? string.Empty, Compiler.Compile(c.Expression!)))
                .ToList();

            if (element.Path == type)
            {
                rootInvariants.AddRange(invariants);
                continue;
            }

            var relative = element.Path![(type.Length + 1)..].Replace("[x]", string.Empty);
            var lastDot = relative.LastIndexOf('.');
            var parentPath = lastDot < 0 ? null : relative[..lastDot];
            var childName = lastDot < 0 ? relative : relative[(lastDot + 1)..];

            var (fixedNode, fixedPrimitive) = ValueOf(element.Fixed);
            var (patternNode, patternPrimitive) = ValueOf(element.Pattern);
            var binding = element.Binding is { Strength: BindingStrength.Required, ValueSet: { } vs } ? vs : null;

            rules.Add(new ElementRule(
                element.Path,
                parentPath is null ? null : Compiler.Compile(parentPath),
                Compiler.Compile(childName),
                element.Min,
                ParseMax(element.Max),
                fixedNode, fixedPrimitive, patternNode, patternPrimitive, binding, invariants));
        }

        return new CompiledProfile(sd.Url ?? string.Empty, type, rootInvariants, rules);
    }

    private static int? ParseMax(string? max) => max is null or "*" ? null : int.Parse(max);

    private static (JsonNode? Node, string? Primitive) ValueOf(DataType? value) => value switch
    {
        null => (null, null),
        PrimitiveType p => (null, p.ToString()),
        _ => (JsonNode.Parse(Serializer.SerializeToString(value)), null),
    };
}
