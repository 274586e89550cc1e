using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Where an AuditEvent sits in the Merkle log (ADR 0011): its leaf index (sequence - 1) and the size
/// of the signed checkpoint it is proven under (absent until a checkpoint covers it). With these a
/// person, or their referral source, asks <c>GET /audit/inclusion?record=</c> for the proof. Decimal
/// values: R4 integers stop at 2^31, a log need not.
/// </summary>
public static class AuditLogPosition
{
    public const string Url = FhirUris.Base + "/StructureDefinition/audit-log-position";

    public static void Annotate(AuditEvent audit, long sequence, long? checkpointSize)
    {
        var position = new Extension { Url = Url };
        position.Extension.Add(new Extension("leafIndex", new FhirDecimal(sequence - 1)));
        if (checkpointSize is { } size && size >= sequence)
        {
            position.Extension.Add(new Extension("treeSize", new FhirDecimal(size)));
        }
        audit.Extension.Add(position);
    }
}
