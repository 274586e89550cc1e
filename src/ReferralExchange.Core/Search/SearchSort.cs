using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Search;

/// <summary>The sort keys offered (FHIR R4 search.html#sort).</summary>
public enum SortKey
{
    LastUpdated,
    AuthoredOn,
    Priority,
}

/// <summary>
/// One <c>_sort</c> key, ascending or (with <c>-</c>) descending. Ties are broken by lastUpdated and
/// then the resource id in the same direction, so the order is total and a keyset can follow it.
/// Priority sorts by the request-priority value set's own order (routine, urgent, asap, stat), not
/// alphabetically; a Task without one sorts before routine.
/// </summary>
public sealed record SearchSort(SortKey Key, bool Descending)
{
    public static readonly SearchSort Default = new(SortKey.LastUpdated, false);

    public static readonly IReadOnlySet<SortKey> LastUpdatedOnly = new HashSet<SortKey> { SortKey.LastUpdated };

    public string Parameter => (Descending ? "-" : string.Empty) + Key switch
    {
        SortKey.AuthoredOn => "authored-on",
        SortKey.Priority => "priority",
        _ => "_lastUpdated",
    };

    public static SearchSort Parse(string value, IReadOnlySet<SortKey> allowed)
    {
        var keys = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (keys.Length != 1)
        {
            throw Bad("_sort takes one key (ties are broken by _lastUpdated, then id)");
        }
        var descending = keys[0].StartsWith('-');
        SortKey? key = (descending ? keys[0][1..] : keys[0]) switch
        {
            "_lastUpdated" => SortKey.LastUpdated,
            "authored-on" => SortKey.AuthoredOn,
            "priority" => SortKey.Priority,
            _ => null,
        };
        return key is { } k && allowed.Contains(k)
            ? new SearchSort(k, descending)
            : throw Bad("_sort must be one of " + string.Join(", ", allowed.Select(a => new SearchSort(a, false).Parameter)) + ", optionally with -");
    }

    public static SearchSort FromParameter(string parameter) =>
        Parse(parameter, new HashSet<SortKey> { SortKey.LastUpdated, SortKey.AuthoredOn, SortKey.Priority });

    private static GatewayException Bad(string message) => new(ErrorKind.BadRequest, "invalid", message, "_sort");
}
