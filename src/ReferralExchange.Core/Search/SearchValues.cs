using System.Globalization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Search;

/// <summary>Parses the values of search parameters (FHIR R4 search.html#ptypes); a bad value is 400 naming the parameter.</summary>
public static class SearchValues
{
    /// <summary>A reference (search.html#reference): "Organization/abc" or a bare "abc".</summary>
    public static string ReferenceId(string name, string value, string type)
    {
        var id = value.StartsWith(type + "/", StringComparison.Ordinal) ? value[(type.Length + 1)..] : value;
        return IsId(id) ? id : throw Bad(name, $"expected a {type} reference");
    }

    /// <summary>A comma-separated list of logical ids (<c>_id</c>: any of them).</summary>
    public static IEnumerable<string> Ids(string name, string value)
    {
        var ids = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ids.Length > 0 && ids.Length <= 100 && ids.All(IsId) ? ids : throw Bad(name, "expected one or more resource ids, comma-separated");
    }

    public static bool Boolean(string name, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw Bad(name, "expected true or false"),
    };

    public static int Number(string name, string value, int min) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw Bad(name, "expected a non-negative integer");

    /// <summary>An instant (<c>_since</c>, FHIR R4 http.html#history): a dateTime with a time zone, or a date (its start).</summary>
    public static DateTimeOffset Instant(string name, string value) => Range(name, value).Start;

    /// <summary>
    /// A date parameter with prefix (FHIR R4 search.html#prefix): the value stands for a range at its
    /// own precision, so gt2026-11-20 means after the end of that day.
    /// </summary>
    public static IEnumerable<InstantBound> DateBounds(string name, string value)
    {
        var hasPrefix = value.Length > 2 && char.IsAsciiLetterLower(value[0]);
        var prefix = hasPrefix ? value[..2] : "eq";
        var text = hasPrefix ? value[2..] : value;
        var (start, end) = Range(name, text);
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

    public static GatewayException Bad(string name, string message) => new(ErrorKind.BadRequest, "invalid", message, name);

    private static bool IsId(string id) => id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.');

    private static (DateTimeOffset Start, DateTimeOffset End) Range(string name, string text)
    {
        try
        {
            return RangeUnchecked(name, text);
        }
        catch (ArgumentOutOfRangeException)
        {
            // e.g. gt9999-12-31: the end of that range is past the last representable instant.
            throw Bad(name, "date is out of range");
        }
    }

    private static (DateTimeOffset Start, DateTimeOffset End) RangeUnchecked(string name, string text)
    {
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out var day))
            return (day, day.AddDays(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, styles, out var month))
            return (month, month.AddMonths(1));
        if (DateTimeOffset.TryParseExact(text, "yyyy", CultureInfo.InvariantCulture, styles, out var year))
            return (year, year.AddYears(1));
        // An unencoded '+' of a time zone offset reads as a space in a query string.
        text = text.Replace(' ', '+');
        if (text.Contains('T') && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var instant))
        {
            // Our lastUpdated values carry milliseconds; a value given to the second covers that second.
            var hasFraction = text.Contains('.');
            return (instant, hasFraction ? instant.AddTicks(1) : instant.AddSeconds(1));
        }
        throw Bad(name, "expected a date or dateTime such as 2026-11-20 or 2026-11-20T14:30:00Z");
    }
}
