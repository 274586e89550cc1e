using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Labels a referral's resources on the way in, from <c>labeling-rules.json</c>, not scattered ifs:
/// <list type="bullet">
/// <item>Every need category that is sensitive (mental health, substance use, domestic violence)
/// contributes its sensitivity labels.</item>
/// <item>If every need is sensitive, the whole referral is: each resource carries the labels in
/// <c>meta.security</c>. If the referral mixes classes, the labels go on the elements that carry
/// the sensitive need (its category, its reason, the narrative), so that a recipient consented
/// for the rest receives the rest.</item>
/// <item>Element data classes (a Patient's contact details) are tagged on the element.</item>
/// <item>Confidentiality (N/R/V) is the highest any label calls for.</item>
/// </list>
/// </summary>
public sealed class SecurityLabeler(LabelingRules rules)
{
    public void Label(ReferralResources referral)
    {
        var sr = referral.ServiceRequest;
        var categories = sr.Category.SelectMany(c => c.Coding).Where(c => c.System == FhirUris.ReferralCategory).Select(c => c.Code).ToList();
        var labelsByCategory = categories.ToDictionary(c => c, c => rules.LabelsOfCategory(c).ToList());
        var sensitive = labelsByCategory.Values.SelectMany(l => l).Distinct().ToList();
        var allSensitive = categories.Count > 0 && labelsByCategory.Values.All(l => l.Count > 0);

        if (allSensitive)
        {
            foreach (var resource in PatientData(referral))
            {
                SetMetaLabels(resource, sensitive);
            }
        }
        else if (sensitive.Count > 0)
        {
            foreach (var concept in sr.Category.Concat(sr.ReasonCode))
            {
                var labels = concept.Coding.Where(c => c.System == FhirUris.ReferralCategory).SelectMany(c => labelsByCategory.GetValueOrDefault(c.Code) ?? []);
                InlineLabels.AddSensitivity(concept, labels);
            }
            // Free text may speak of any of the needs: it carries every sensitive label of the referral.
            foreach (var note in sr.Note)
            {
                InlineLabels.AddSensitivity(note, sensitive);
            }
            foreach (var resource in PatientData(referral))
            {
                SetMetaLabels(resource, []);
            }
            SetConfidentiality(sr, sensitive);
        }
        else
        {
            foreach (var resource in PatientData(referral))
            {
                SetMetaLabels(resource, []);
            }
        }

        foreach (var rule in rules.ElementClasses.Where(r => r.ResourceType == "Patient"))
        {
            IEnumerable<Element> elements = rule.Element switch
            {
                "telecom" => referral.Patient.Telecom,
                "address" => referral.Patient.Address,
                _ => [],
            };
            foreach (var element in elements)
            {
                InlineLabels.AddClass(element, rule.Class);
            }
        }
    }

    /// <summary>The resources that are about the person (not the referring worker's role).</summary>
    private static IEnumerable<Resource> PatientData(ReferralResources referral) =>
        new Resource[] { referral.Patient, referral.ServiceRequest, referral.Consent, referral.Task }.Concat(referral.OtherConsents);

    private void SetMetaLabels(Resource resource, IReadOnlyCollection<string> labels)
    {
        resource.Meta ??= new Meta();
        resource.Meta.Security.RemoveAll(c => c.System is FhirUris.ActCode or FhirUris.Confidentiality);
        resource.Meta.Security.AddRange(labels.Select(l => new Coding(FhirUris.ActCode, l)));
        SetConfidentiality(resource, labels);
    }

    private void SetConfidentiality(Resource resource, IEnumerable<string> labels)
    {
        resource.Meta ??= new Meta();
        resource.Meta.Security.RemoveAll(c => c.System == FhirUris.Confidentiality);
        resource.Meta.Security.Add(new Coding(FhirUris.Confidentiality, rules.ConfidentialityFor(labels)));
    }
}
