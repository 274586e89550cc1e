using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Audit;

/// <summary>The AuditEvent search parameters <see cref="AuditEventService.SearchAsync"/> accepts, as the CapabilityStatement declares them.</summary>
public static class AuditEventSearchParameters
{
    public static IReadOnlyList<SearchParameterDefinition> All { get; } =
    [
        new("patient", "reference", "http://hl7.org/fhir/SearchParameter/clinical-patient", "Patient/[id]: events about this patient"),
        new("_count", "number", null, "Page size, at most 200 (default 50)"),
        new("_offset", "number", null, "Position of the page's first entry, as given in next links"),
    ];
}
