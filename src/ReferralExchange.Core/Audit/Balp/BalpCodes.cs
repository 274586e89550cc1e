using Hl7.Fhir.Model;

namespace ReferralExchange.Core.Audit.Balp;

/// <summary>The codes BALP 1.1 fixes for agents, source and entities (its FSH: Create.fsh, PatientRead.fsh, PatientQuery.fsh, terms.fsh).</summary>
public static class BalpCodes
{
    private const string Dicom = "http://dicom.nema.org/resources/ontology/DCM";
    private const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private const string EntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private const string ObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";

    public const string BasicAuditEntityType = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";

    /// <summary>DICOM "Source Role ID": the client of Create/Update/Query (the request flows from it), the server of Read.</summary>
    public static Coding SourceRole => new(Dicom, "110153", "Source Role ID");

    /// <summary>DICOM "Destination Role ID": the server of Create/Update/Query, the client of Read.</summary>
    public static Coding DestinationRole => new(Dicom, "110152", "Destination Role ID");

    /// <summary>The user agent of Read and Query: "information recipient".</summary>
    public static Coding InformationRecipient => new(ParticipationType, "IRCP", "information recipient");

    /// <summary>The user agent of Create and Update (BALP DataSources value set): "author (originator)".</summary>
    public static Coding Author => new(ParticipationType, "AUT", "author (originator)");

    /// <summary>security-source-type 4: the gateway is an application server.</summary>
    public static Coding ApplicationServer => new("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server");

    public static Coding SystemObject => new(EntityType, "2", "System Object");
    public static Coding Person => new(EntityType, "1", "Person");
    public static Coding PatientRole => new(ObjectRole, "1", "Patient");
    public static Coding DomainResourceRole => new(ObjectRole, "4", "Domain Resource");
    public static Coding QueryRole => new(ObjectRole, "24", "Query");
    public static Coding RequestId => new(BasicAuditEntityType, "XrequestId", "transport specific unique identifier where http X-Request-Id is used");
}
