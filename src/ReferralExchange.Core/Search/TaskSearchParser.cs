using System.Globalization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Parses Task search parameters (FHIR R4 §3.1.1 search; Task search parameters owner, requester,
/// status, patient, focus, _lastUpdated, plus owner:missing, _include=Task:focus, _count, _total
/// and the opaque keyset position _cursor of next links).
/// Unknown parameters are refused with 400 rather than silently ignored: a partner polling its
/// inbox with a misspelt filter must not receive everything instead.
/// </summary>
public static class TaskSearchParser
{
    public const int DefaultCount = 20;
    public const int MaxCount = 100;

    public static TaskSearchQuery Parse(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new TaskSearchQuery();
        var statuses = new List<string>();
        var bounds = new List<InstantBound>();

        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "owner":
                    query = query with { OwnerId = ReferenceId(name, value, "Organization") };
                    break;
                case "owner:missing":
                    query = query with { OwnerMissing = Boolean(name, value) };
                    break;
                case "requester":
                    query = query with { RequesterId = ReferenceId(name, value, "Organization") };
                    break;
                case "patient":
                    query = query with { PatientId = ReferenceId(name, value, "Patient") };
                    break;
                case "focus":
                    query = query with { FocusId = ReferenceId(name, value, "ServiceRequest") };
                    break;
                case "status":
                    statuses.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Status(name, s)));
                    break;
                case "_lastUpdated":
                    bounds.AddRange(DateBounds(name, value));
                    break;
                case "_include":
                    if (value != "Task:focus")
                        throw Bad(name, "only _include=Task:focus is supported");
                    query = query with { IncludeFocus = true };
                    break;
                case "_count":
                    query = query with { Count = Math.Min(Number(name, value, min: 0), MaxCount) };
                    break;
                case "_cursor":
                    query = query with { After = SearchCursorFormat.Parse(value) ?? throw Bad(name, "not a cursor this server issued") };
                    break;
                case "_total":
                    query = query with
                    {
                        Total = value switch
                        {
                            "none" => TotalMode.None,
                            "estimate" => TotalMode.WhenCheap,
                            "accurate" => TotalMode.Accurate,
                            _ => throw Bad(name, "expected none, estimate or accurate"),
                        },
                    };
                    break;
                case "_format":
                    if (value is not ("json" or "application/fhir+json" or "application/json"))
                        throw new GatewayException(ErrorKind.UnsupportedMediaType, "not-supported", "only JSON is supported", name);
                    break;
                default:
                    throw Bad(name, $"search parameter '{name}' is not supported for Task");
            }
        }
        return query with { Statuses = statuses, LastUpdated = bounds };
    }

    /// <summary>The query string for self and next links: the parameters as given, less the page position.</summary>
    public static string Canonical(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => p.Key is not "_cursor")
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private static readonly string[] TaskStatuses =
        ["draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"];

    private static string Status(string name, string value) =>
        TaskStatuses.Contains(value) ? value : throw Bad(name, "not a Task status code");

    private static string ReferenceId(string name, string value, string type)
    {
        // Accept "Organization/abc" or a bare "abc" (FHIR R4 §3.1.1.4.10 reference search).
        var id = value.StartsWith(type + "/", StringComparison.Ordinal) ? value[(type.Length + 1)..] : value;
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            throw Bad(name, $"expected a {type} reference");
        }
        return id;
    }

    private static bool Boolean(string name, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw Bad(name, "expected true or false"),
    };

    private static int Number(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw Bad(name, "expected a non-negative integer");

    /// <summary>
    /// A date parameter with prefix (FHIR R4 §3.1.1.4.2): the value stands for a range at its own
    /// precision, so gt2026-11-20 means after the end of that day.
    /// </summary>
    private static IEnumerable<InstantBound> DateBounds(string name, string value)
    {
        var hasPrefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]);
        var prefix = hasPrefix ? value[..2] : "eq";
        var text = hasPrefix ? value[2..] : value;
        var (start, end) = ParseRange(name, text);
        return prefix switch
        {
            "eq" => [new InstantBound(start, IsLower: true, Inclusive: true), new InstantBound(end, IsLower: false, Inclusive: false)],
            "gt" => [new InstantBound(end, IsLower: true, Inclusive: true)],
            "ge" => [new InstantBound(start, IsLower: true, Inclusive: true)],
            "lt" => [new InstantBound(start, IsLower: false, Inclusive: false)],
            "le" => [new InstantBound(end, IsLower: false, Inclusive: false)],
            _ => throw Bad(name, "prefix must be one of eq, gt, ge, lt, le"),
        };
    }

    private static (DateTimeOffset Start, DateTimeOffset End) ParseRange(string name, string text)
    {
        try
        {
            return ParseRangeUnchecked(name, text);
        }
        catch (ArgumentOutOfRangeException)
        {
            // e.g. gt9999-12-31: the end of that range is past the last representable instant.
            throw Bad(name, "date is out of range");
        }
    }

    private static (DateTimeOffset Start, DateTimeOffset End) ParseRangeUnchecked(string name, string text)
    {
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out var day))
            return (day, day.AddDays(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, styles, out var month))
            return (month, month.AddMonths(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy", CultureInfo.InvariantCulture, styles, out var year))
            return (year, year.AddYears(1));
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var instant))
        {
            // Our lastUpdated values carry milliseconds; a value given to the second covers that second.
            var hasFraction = text.Contains('.');
            return (instant, hasFraction ? instant.AddTicks(1) : instant.AddSeconds(1));
        }
        throw Bad(name, "expected a date or dateTime such as 2026-11-20 or 2026-11-20T14:30:00Z");
    }

    private static GatewayException Bad(string name, string message) =>
        new(ErrorKind.BadRequest, "invalid", message, name);
}
