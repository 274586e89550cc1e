using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// The validator writes every step with an index (<c>Patient.text[0].div[0]</c>); the gateway's
/// issues index only repeating elements (<c>Patient.text.div</c>, <c>Patient.telecom[0]</c>), as
/// FHIRPath reads them (FHIR R4 §2.28 "location" expressions). The R4 model says which repeat.
/// </summary>
public static class ElementPath
{
    private static readonly ModelInspector Model = ModelInfo.ModelInspector;

    public static string Normalize(string path)
    {
        var steps = path.Split('.');
        var mapping = Model.FindClassMapping(steps[0]);
        var result = new List<string> { steps[0] };
        foreach (var step in steps.Skip(1))
        {
            var bracket = step.IndexOf('[');
            var name = bracket < 0 ? step : step[..bracket];
            var element = mapping?.FindMappedElementByName(name) ?? mapping?.FindMappedElementByChoiceName(name);
            var repeats = element?.IsCollection ?? true;
            result.Add(repeats || element is null ? step : name);
            mapping = element is null ? null : ChildMapping(element);
        }
        return string.Join('.', result);
    }

    private static ClassMapping? ChildMapping(PropertyMapping element) =>
        element.Choice == ChoiceType.None ? Model.FindOrImportClassMapping(element.PropertyTypeMapping.NativeType) : null;
}
