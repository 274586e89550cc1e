using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Profiles;

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// Proof of delivery speaks our delivered-service vocabulary (profiles/ValueSet-delivered-service,
/// expanded from our CodeSystem): a code outside it proves nothing and must not count as delivered
/// in the outcome report. A coding in our system, or with no system at all (a reader would take it
/// for ours), must be a member; codings of other systems may travel beside a member (FHIR R4
/// §4.1.4.4 required binding: at least one coding from the ValueSet).
/// </summary>
public sealed class DeliveredServiceCodes(ProfilePackage package)
{
    public const string System = FhirUris.Base + "/CodeSystem/delivered-service";
    public const string ValueSet = FhirUris.Base + "/ValueSet/delivered-service";

    /// <summary>Whether the concept carries at least one delivered-service member.</summary>
    public bool HasMember(CodeableConcept? concept) =>
        concept?.Coding.Any(c => c.System == System && package.ValueSets.Contains(ValueSet, System, c.Code)) == true;

    /// <summary>One issue per coding that claims our system (or none) with a code outside the ValueSet.</summary>
    public IReadOnlyList<Issue> Check(CodeableConcept? concept, string path)
    {
        var issues = new List<Issue>();
        for (var i = 0; i < (concept?.Coding.Count ?? 0); i++)
        {
            var coding = concept!.Coding[i];
            if ((coding.System is null || coding.System == System) && !package.ValueSets.Contains(ValueSet, System, coding.Code))
            {
                issues.Add(new Issue("code-invalid", "The code is not in the delivered-service value set", $"{path}.coding[{i}].code"));
            }
        }
        return issues;
    }

    /// <summary>A Procedure's code: every claimed delivered-service coding is a member, and there is one.</summary>
    public void EnsureValid(Procedure procedure)
    {
        var issues = Check(procedure.Code, "Procedure.code").ToList();
        if (issues.Count == 0 && !HasMember(procedure.Code))
        {
            issues.Add(new Issue("code-invalid", "Procedure.code needs a coding from the delivered-service value set", "Procedure.code.coding"));
        }
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }
    }
}
