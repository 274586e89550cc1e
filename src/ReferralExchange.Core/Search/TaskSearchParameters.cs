namespace ReferralExchange.Core.Search;

/// <summary>
/// The Task search parameters <see cref="TaskSearchParser"/> accepts, as data: the CapabilityStatement
/// declares exactly these (issue 14 point 4), and a unit test holds the parser to the list.
/// </summary>
public static class TaskSearchParameters
{
    private const string Spec = "http://hl7.org/fhir/SearchParameter/";

    public static IReadOnlyList<SearchParameterDefinition> All { get; } =
    [
        new("owner", "reference", Spec + "Task-owner", "Organization/[id]; owner:missing=true|false finds unclaimed Tasks"),
        new("requester", "reference", Spec + "Task-requester", "Organization/[id]"),
        new("status", "token", Spec + "Task-status", "One or more Task.status codes, comma-separated"),
        new("patient", "reference", Spec + "Task-patient", "Patient/[id]"),
        new("focus", "reference", Spec + "Task-focus", "ServiceRequest/[id]"),
        new("_lastUpdated", "date", Spec + "Resource-lastUpdated"),
        new("_count", "number", null, $"Page size, at most {TaskSearchParser.MaxCount} (default {TaskSearchParser.DefaultCount})"),
        new("_total", "token", null, "none | estimate | accurate (FHIR R4 3.1.1.5.7). The total is counted only for accurate; otherwise it is given when the first page holds every match."),
        new("_cursor", "string", null, "Opaque keyset position, as given in next links. Pages are ordered by _lastUpdated, then id."),
    ];

    /// <summary>The _include values accepted (CapabilityStatement.rest.resource.searchInclude).</summary>
    public static IReadOnlyList<string> Includes { get; } = ["Task:focus"];
}
