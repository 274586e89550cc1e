namespace ReferralExchange.Core.Profiles;

/// <summary>A StructureDefinition turned into rules that can be run against an instance.</summary>
public sealed record CompiledProfile(
    string Url,
    string ResourceType,
    IReadOnlyList<CompiledInvariant> RootInvariants,
    IReadOnlyList<ElementRule> Elements);
