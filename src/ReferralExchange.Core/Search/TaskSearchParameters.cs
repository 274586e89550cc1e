namespace ReferralExchange.Core.Search;

/// <summary>
/// The Task search parameters <see cref="TaskSearchParser"/> accepts, as data: the CapabilityStatement
/// declares exactly these (issue 14 point 4), and its test sends each one to the running gateway.
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
        .. CommonSearchParameters.With(new HashSet<SortKey> { SortKey.LastUpdated, SortKey.AuthoredOn, SortKey.Priority }),
    ];

    /// <summary>The _include values accepted (CapabilityStatement.rest.resource.searchInclude).</summary>
    public static IReadOnlyList<string> Includes { get; } = ["Task:focus", "Task:patient", "Task:requester"];

    /// <summary>The _revinclude values accepted (CapabilityStatement.rest.resource.searchRevInclude).</summary>
    public static IReadOnlyList<string> RevIncludes { get; } = ["Procedure:based-on"];
}
