namespace ReferralExchange.Core.Audit.Balp;

/// <summary>
/// Which IHE Basic Audit Log Patterns (BALP 1.1, https://profiles.ihe.net/ITI/BALP) profile an
/// audit record is presented in, if any. Only successful REST interactions have one (BALP: "failures
/// are recorded differently"); history and the gateway's own actions (disclosure, consent decision,
/// audit read) have none and carry no <c>meta.profile</c>.
/// </summary>
public enum BalpKind
{
    None,
    Create,
    Read,
    Update,
    Query,
}

public static class BalpProfile
{
    public const string Canonical = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";

    public static BalpKind KindOf(AuditRecord record)
    {
        if (record.Outcome != AuditOutcome.Success)
        {
            return BalpKind.None;
        }
        return record.Action switch
        {
            // Create's entity[data] is 1..1: a transaction that stored several resources has no BALP shape.
            AuditActions.Create or AuditActions.Transaction when record.Resources.Count == 1 => BalpKind.Create,
            AuditActions.Read or AuditActions.VRead when record.Resources.Count == 1 => BalpKind.Read,
            AuditActions.Update when record.Resources.Count == 1 => BalpKind.Update,
            AuditActions.Search => BalpKind.Query,
            _ => BalpKind.None,
        };
    }

    /// <summary>The profile URL: the Patient-specific one when the record names a patient (BALP PatientCreate, PatientRead, PatientUpdate, PatientQuery).</summary>
    public static string? UrlFor(BalpKind kind, bool patient) => kind == BalpKind.None
        ? null
        : $"{Canonical}IHE.BasicAudit.{(patient ? "Patient" : string.Empty)}{kind}";
}
