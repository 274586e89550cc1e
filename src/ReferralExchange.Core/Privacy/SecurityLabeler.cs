using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Labels a referral's resources on the way in, from <c>labeling-rules.json</c>, not scattered ifs:
/// <list type="bullet">
/// <item>Every need category that is sensitive (mental health, substance use, domestic violence)
/// contributes its sensitivity labels.</item>
/// <item>Labels every need shares describe the whole referral: each resource carries them in
/// <c>meta.security</c>. Labels only some needs carry go on the elements of those needs (category,
/// reason, the narrative), so that a recipient consented for the rest receives the rest.</item>
/// <item>Element data classes (a Patient's contact details) are tagged on the element.</item>
/// <item>Confidentiality (N/R/V) is the highest any label calls for.</item>
/// </list>
/// </summary>
public sealed class SecurityLabeler(LabelingRules rules)
{
    public void Label(ReferralResources referral)
    {
        var sr = referral.ServiceRequest;
        var categories = sr.Category.SelectMany(c => c.Coding).Where(c => c.System == FhirUris.ReferralCategory).Select(c => c.Code).OfType<string>()
            // A category named twice (found by the hostile-body property test) is one need, not a crash.
            .Distinct().ToList();
        var labelsByCategory = categories.ToDictionary(c => c, c => rules.LabelsOfCategory(c).ToList());
        var sensitive = labelsByCategory.Values.SelectMany(l => l).Distinct().ToList();
        // What every need shares describes the whole referral; what only some needs carry goes on
        // the elements of those needs, so that a recipient consented for the rest receives the rest.
        var common = categories.Count == 0 ? [] : labelsByCategory.Values.Aggregate((IEnumerable<string>)sensitive, (acc, l) => acc.Intersect(l)).ToList();
        var partial = sensitive.Except(common).ToList();

        foreach (var resource in PatientData(referral))
        {
            SetMetaLabels(resource, common);
        }
        if (partial.Count > 0)
        {
            foreach (var concept in sr.Category.Concat(sr.ReasonCode))
            {
                var categoryCodes = concept.Coding.Where(c => c.System == FhirUris.ReferralCategory).ToList();
                // A reason that names no category may speak of any need: it carries every partial label.
                var labels = categoryCodes.Count == 0
                    ? partial
                    : categoryCodes.SelectMany(c => (c.Code is null ? null : labelsByCategory.GetValueOrDefault(c.Code)) ?? []).Except(common);
                InlineLabels.AddSensitivity(concept, labels);
            }
            // Free text may speak of any of the needs: it carries every label not shared by all.
            foreach (var note in sr.Note)
            {
                InlineLabels.AddSensitivity(note, partial);
            }
            SetConfidentiality(sr, sensitive);
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
