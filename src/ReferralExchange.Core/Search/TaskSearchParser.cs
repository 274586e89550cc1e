namespace ReferralExchange.Core.Search;

/// <summary>
/// Parses Task search parameters (FHIR R4 Task search parameters owner, requester, status, patient,
/// focus, plus owner:missing; <c>_include</c> Task:focus, Task:patient, Task:requester;
/// <c>_revinclude=Procedure:based-on</c>; <c>_sort</c> by _lastUpdated, authored-on or priority) and the
/// common ones (<see cref="SearchParameterReader"/>). Unknown parameters are ignored unless the
/// client asks for strict handling (search.html#errors).
/// </summary>
public static class TaskSearchParser
{
    public const int DefaultCount = CommonParameters.DefaultCount;
    public const int MaxCount = CommonParameters.MaxCount;

    private static readonly IReadOnlySet<SortKey> Sorts = new HashSet<SortKey> { SortKey.LastUpdated, SortKey.AuthoredOn, SortKey.Priority };

    private static readonly string[] TaskStatuses =
        ["draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"];

    public static TaskSearchQuery Parse(IEnumerable<KeyValuePair<string, string>> parameters, bool strict = false)
    {
        var reader = new SearchParameterReader(strict, Sorts);
        var query = new TaskSearchQuery();
        var statuses = new List<string>();

        foreach (var (name, value) in parameters)
        {
            if (reader.TryCommon(name, value))
            {
                continue;
            }
            var applied = true;
            switch (name)
            {
                case "owner":
                    query = query with { OwnerId = SearchValues.ReferenceId(name, value, "Organization") };
                    break;
                case "owner:missing":
                    query = query with { OwnerMissing = SearchValues.Boolean(name, value) };
                    break;
                case "requester":
                    query = query with { RequesterId = SearchValues.ReferenceId(name, value, "Organization") };
                    break;
                case "patient":
                    query = query with { PatientId = SearchValues.ReferenceId(name, value, "Patient") };
                    break;
                case "focus":
                    query = query with { FocusId = SearchValues.ReferenceId(name, value, "ServiceRequest") };
                    break;
                case "status":
                    statuses.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Status(name, s)));
                    break;
                case "_include":
                    (query, applied) = value switch
                    {
                        "Task:focus" or "Task:focus:ServiceRequest" => (query with { IncludeFocus = true }, true),
                        "Task:patient" or "Task:patient:Patient" => (query with { IncludePatient = true }, true),
                        "Task:requester" or "Task:requester:Organization" => (query with { IncludeRequester = true }, true),
                        _ => (query, false),
                    };
                    if (!applied) reader.Unsupported(name, "_include is offered for Task:focus, Task:patient and Task:requester");
                    break;
                case "_revinclude":
                    applied = value == "Procedure:based-on";
                    if (applied) query = query with { RevIncludeProcedures = true };
                    else reader.Unsupported(name, "_revinclude is offered for Procedure:based-on");
                    break;
                default:
                    applied = false;
                    reader.Unsupported(name, $"search parameter '{name}' is not supported for Task");
                    break;
            }
            if (applied)
            {
                reader.Applied(name, value);
            }
        }
        return query with { Statuses = statuses, Common = reader.Common() };
    }

    private static string Status(string name, string value) =>
        TaskStatuses.Contains(value) ? value : throw SearchValues.Bad(name, "not a Task status code");
}
