using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Element-level security labels, as the HL7 DS4P IG's inline security label extension: a Coding
/// on the element itself, from v3-ActCode (sensitivity) or our data-class CodeSystem.
/// </summary>
public static class InlineLabels
{
    public const string ExtensionUrl = "http://hl7.org/fhir/uv/security-label-ds4p/StructureDefinition/extension-inline-sec-label";

    public static void AddSensitivity(Element element, IEnumerable<string> labels)
    {
        foreach (var label in labels.Distinct())
        {
            if (!element.Extension.Any(e => e.Url == ExtensionUrl && (e.Value as Coding)?.Code == label))
            {
                element.Extension.Add(new Extension(ExtensionUrl, new Coding(FhirUris.ActCode, label)));
            }
        }
    }

    public static void AddClass(Element element, string dataClass) =>
        element.Extension.Add(new Extension(ExtensionUrl, new Coding(FhirUris.DataClass, dataClass)));
}
