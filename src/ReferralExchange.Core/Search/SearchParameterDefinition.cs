namespace ReferralExchange.Core.Search;

/// <summary>
/// One search parameter a search interaction accepts, as the CapabilityStatement declares it
/// (FHIR R4 CapabilityStatement.rest.resource.searchParam: name, definition, type, documentation).
/// </summary>
public sealed record SearchParameterDefinition(string Name, string Type, string? Definition = null, string? Documentation = null);
