using System.Text.Json.Nodes;
using Hl7.FhirPath;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// One differential element of a profile, compiled once at start-up: where it sits (parent path
/// and child name as FHIRPath), its cardinality, fixed or pattern value, required binding and
/// invariants.
/// </summary>
public sealed record ElementRule(
    string ElementPath,
    CompiledExpression? Parent,
    CompiledExpression Child,
    int? Min,
    int? Max,
    JsonNode? Fixed,
    string? FixedPrimitive,
    JsonNode? Pattern,
    string? PatternPrimitive,
    string? RequiredValueSet,
    IReadOnlyList<CompiledInvariant> Invariants);

/// <summary>A FHIRPath invariant (ElementDefinition.constraint) ready to run.</summary>
public sealed record CompiledInvariant(string Key, string Human, CompiledExpression Expression);
