namespace ReferralExchange.Core.Fhir;

/// <summary>Canonical URLs and code systems the gateway emits; the profiles in <c>profiles/</c> use the same.</summary>
public static class FhirUris
{
    public const string Base = "https://referral-exchange.example/fhir";

    public const string PatientProfile = Base + "/StructureDefinition/rx-patient";
    public const string ServiceRequestProfile = Base + "/StructureDefinition/rx-servicerequest";
    public const string ConsentProfile = Base + "/StructureDefinition/rx-consent";
    public const string TaskProfile = Base + "/StructureDefinition/rx-task";
    public const string ProcedureProfile = Base + "/StructureDefinition/rx-procedure";

    public const string ReferralCategory = Base + "/CodeSystem/referral-category";
    public const string ReferralService = Base + "/CodeSystem/referral-service";
    public const string DataClass = Base + "/CodeSystem/data-class";
    public const string PartnerKind = Base + "/CodeSystem/partner-kind";

    public const string SdohTemporaryCodes = "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes";
    public const string TaskCode = "http://hl7.org/fhir/CodeSystem/task-code";
    public const string ConsentScope = "http://terminology.hl7.org/CodeSystem/consentscope";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ActReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public const string Confidentiality = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    /// <summary>Security role types (humanuser for a signed-in person, BALP agent[user]).</summary>
    public const string SecurityRoleType = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";

    /// <summary>Identifier system for a partner's own identifiers (referral ids, person ids, worker ids).</summary>
    public static string PartnerIdentifierSystem(string partnerId, string kind) =>
        $"{Base}/sid/partner/{partnerId}/{kind}";
}
