using ReferralExchange.Core.Search;

namespace ReferralExchange.Gateway.Fhir.Capabilities;

/// <summary>
/// Route metadata: what a FHIR endpoint does, in CapabilityStatement terms (FHIR R4 §3.1.0 RESTful
/// API; CapabilityStatement.rest.resource.interaction / searchParam / operation, rest.interaction).
/// The statement at <c>/fhir/metadata</c> is generated from these annotations on the routing table
/// (<see cref="CapabilityStatementBuilder"/>), so it declares what is routed and nothing else; a test
/// walks the routes and finds every <c>/fhir</c> route annotated.
/// </summary>
public sealed record FhirInteraction
{
    /// <summary>A type-level or instance-level code (read, vread, update, create, search-type, history-instance), a system code (transaction) or <c>operation</c>.</summary>
    public required string Code { get; init; }

    /// <summary>The resource types the route serves; empty for a system-level interaction.</summary>
    public IReadOnlyList<string> ResourceTypes { get; init; } = [];

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; init; } = [];
    public IReadOnlyList<string> SearchIncludes { get; init; } = [];
    public IReadOnlyList<string> SearchRevIncludes { get; init; } = [];

    /// <summary>For <c>operation</c>: its name without the <c>$</c>.</summary>
    public string? Operation { get; init; }

    public string? Documentation { get; init; }

    public static FhirInteraction System(string code) => new() { Code = code };

    public static FhirInteraction On(string code, IEnumerable<string> types) => new() { Code = code, ResourceTypes = [.. types.Order(StringComparer.Ordinal)] };

    public static FhirInteraction On(string code, string type) => new() { Code = code, ResourceTypes = [type] };

    public static FhirInteraction Search(string type, IReadOnlyList<SearchParameterDefinition> parameters, IReadOnlyList<string>? includes = null,
        IReadOnlyList<string>? revIncludes = null) =>
        new() { Code = "search-type", ResourceTypes = [type], SearchParameters = parameters, SearchIncludes = includes ?? [], SearchRevIncludes = revIncludes ?? [] };

    public static FhirInteraction InstanceOperation(string type, string name, string documentation) =>
        new() { Code = "operation", ResourceTypes = [type], Operation = name, Documentation = documentation };
}

/// <summary>Route metadata for a <c>/fhir</c> route that is no interaction of the statement (the statement itself, discovery), with the reason.</summary>
public sealed record NotACapability(string Reason);

public static class FhirInteractionRouteExtensions
{
    /// <summary>Declares what this route does in the CapabilityStatement.</summary>
    public static RouteHandlerBuilder Declares(this RouteHandlerBuilder route, params FhirInteraction[] interactions) => route.WithMetadata(interactions.Cast<object>().ToArray());

    /// <summary>Marks a <c>/fhir</c> route that the statement rightly leaves out.</summary>
    public static RouteHandlerBuilder NotACapability(this RouteHandlerBuilder route, string reason) => route.WithMetadata(new NotACapability(reason));
}
