using System.Globalization;
using System.Text.RegularExpressions;

namespace ReferralExchange.Core.Fhir;

/// <summary>
/// The FHIR <c>instant</c> type (R4 §2.24.0.1): a date and time to at least the second, with a
/// time zone. A date alone, or a time without a zone, is not an instant.
/// </summary>
public static partial class FhirInstant
{
    public static bool TryParse(string? value, out DateTimeOffset instant)
    {
        instant = default;
        return value is not null
            && Pattern().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    /// <summary>For values already checked with <see cref="TryParse"/>.</summary>
    public static DateTimeOffset Parse(string value) =>
        TryParse(value, out var instant) ? instant : throw new FormatException("not a FHIR instant");

    // The regex of the R4 instant type, as published in the specification's datatypes.
    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$")]
    private static partial Regex Pattern();
}
