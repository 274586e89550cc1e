namespace ReferralExchange.Core.Search;

/// <summary>
/// The parameters <see cref="ResourceSearchParser"/> accepts on ServiceRequest, Patient, Consent and
/// Procedure, as data for the CapabilityStatement (issue 14 point 4).
/// </summary>
public static class ResourceSearchParameters
{
    public static IReadOnlyList<SearchParameterDefinition> All { get; } = CommonSearchParameters.With(SearchSort.LastUpdatedOnly);

    /// <summary>The _revinclude values accepted on <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> RevIncludesOf(string type) => type == "ServiceRequest" ? ["Procedure:based-on"] : [];
}
