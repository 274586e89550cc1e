using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Fhir;

/// <summary>FHIR R4 search.html#summary: which part of each resource is returned.</summary>
public enum SummaryMode
{
    /// <summary><c>_summary=false</c> or absent: the whole resource.</summary>
    Full,
    /// <summary><c>_summary=true</c>: the elements marked isSummary.</summary>
    True,
    /// <summary><c>_summary=text</c>: text, id, meta and the mandatory elements.</summary>
    Text,
    /// <summary><c>_summary=data</c>: everything but text.</summary>
    Data,
    /// <summary><c>_summary=count</c> (search only): the total, no entries.</summary>
    Count,
}

/// <summary>
/// What of each resource a client asked for with <c>_summary</c> and <c>_elements</c> (FHIR R4
/// search.html#summary, #elements); applied by <see cref="ResourceSubsetter"/> to what the consent
/// gate already let through, never instead of it.
/// </summary>
public sealed record ResultSubset(SummaryMode Summary, IReadOnlyList<string> Elements)
{
    public static readonly ResultSubset None = new(SummaryMode.Full, []);

    public bool IsSubset => Summary is not SummaryMode.Full || Elements.Count > 0;

    /// <summary>The subset a read asks for (other parameters are not the reader's to judge).</summary>
    public static ResultSubset FromParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var subset = None;
        foreach (var (name, value) in parameters)
        {
            subset = name switch
            {
                "_summary" => subset with { Summary = ParseSummary(value, allowCount: false) },
                "_elements" => subset with { Elements = ParseElements(value) },
                _ => subset,
            };
        }
        return subset;
    }

    public static SummaryMode ParseSummary(string value, bool allowCount) => value switch
    {
        "true" => SummaryMode.True,
        "text" => SummaryMode.Text,
        "data" => SummaryMode.Data,
        "false" => SummaryMode.Full,
        "count" when allowCount => SummaryMode.Count,
        _ => throw new GatewayException(ErrorKind.BadRequest, "invalid",
            allowCount ? "_summary must be true, text, data, count or false" : "_summary must be true, text, data or false", "_summary"),
    };

    /// <summary>Top-level element names, comma-separated (search.html#elements: no paths into elements).</summary>
    public static IReadOnlyList<string> ParseElements(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0 || names.Length > 50 || names.Any(n => n.Length > 64 || !n.All(char.IsAsciiLetterOrDigit)))
        {
            throw new GatewayException(ErrorKind.BadRequest, "invalid", "_elements is a comma-separated list of element names", "_elements");
        }
        return names;
    }
}
