using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace ReferralExchange.Gateway.Fhir.Capabilities;

/// <summary>
/// Builds the CapabilityStatement (FHIR R4 §2.38) from the descriptive base in <c>profiles/</c>
/// (names, formats, each type's profile and documentation) and the <see cref="FhirInteraction"/>
/// annotations on the routing table: every interaction, search parameter and operation a route
/// declares, and nothing the base merely mentions. <c>rest.security</c> names SMART on FHIR and
/// the token endpoint (SMART App Launch 1.0 "oauth-uris" extension, still what FHIR clients such as
/// fhir-kit-client read; SMART 2.x discovery is <c>.well-known/smart-configuration</c>).
/// </summary>
public static class CapabilityStatementBuilder
{
    /// <summary>Canonical base of our operations' definitions (CapabilityStatement.rest.resource.operation.definition is required).</summary>
    public const string OperationDefinitionBase = "https://referral-exchange.example/fhir/OperationDefinition/";

    public const string RestfulSecurityService = "http://terminology.hl7.org/CodeSystem/restful-security-service";
    public const string OAuthUrisExtension = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    /// <summary>FHIR's own order of the type interactions (R4 type-restful-interaction), for a stable document.</summary>
    private static readonly string[] InteractionOrder = ["read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create", "search-type"];

    public static CapabilityStatement Build(CapabilityStatement template, IEnumerable<FhirInteraction> interactions, string fhirBase, string tokenUrl, string date)
    {
        var statement = (CapabilityStatement)template.DeepCopy();
        statement.Date = date;
        statement.Implementation ??= new CapabilityStatement.ImplementationComponent { Description = "Referral Exchange FHIR gateway" };
        statement.Implementation.Url = fhirBase;
        var rest = statement.Rest.Single(r => r.Mode == CapabilityStatement.RestfulCapabilityMode.Server);
        var described = rest.Resource.Where(r => r.Type is not null).ToDictionary(r => r.Type!, StringComparer.Ordinal);
        var declared = interactions.ToList();

        rest.Interaction = [.. declared.Where(i => i.ResourceTypes.Count == 0).Select(i => i.Code).Distinct().Order(StringComparer.Ordinal)
            .Select(code => new CapabilityStatement.SystemInteractionComponent { Code = EnumUtility.ParseLiteral<CapabilityStatement.SystemRestfulInteraction>(code) })];
        rest.Resource = [.. declared.SelectMany(i => i.ResourceTypes).Distinct().Order(StringComparer.Ordinal)
            .Select(type => Resource(type, described.GetValueOrDefault(type), declared.Where(i => i.ResourceTypes.Contains(type)).ToList()))];
        rest.Security = Security(tokenUrl, rest.Security?.Description);
        return statement;
    }

    private static CapabilityStatement.ResourceComponent Resource(string type, CapabilityStatement.ResourceComponent? description, IReadOnlyList<FhirInteraction> interactions)
    {
        var resource = new CapabilityStatement.ResourceComponent
        {
            Type = type,
            Profile = description?.Profile,
            Documentation = description?.Documentation,
        };
        var codes = interactions.Where(i => i.Code != "operation").Select(i => i.Code).Distinct().OrderBy(c => Array.IndexOf(InteractionOrder, c)).ToList();
        resource.Interaction = [.. codes.Select(code => new CapabilityStatement.ResourceInteractionComponent { Code = EnumUtility.ParseLiteral<CapabilityStatement.TypeRestfulInteraction>(code) })];
        if (codes.Contains("vread") || codes.Contains("history-instance"))
        {
            resource.Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned;
            resource.ReadHistory = codes.Contains("vread");
        }
        if (codes.Contains("update"))
        {
            // PUT never creates (FHIR R4 §3.1.0.4.1): ids are the server's.
            resource.UpdateCreate = false;
        }
        resource.SearchInclude = [.. interactions.SelectMany(i => i.SearchIncludes).Distinct()];
        resource.SearchRevInclude = [.. interactions.SelectMany(i => i.SearchRevIncludes).Distinct()];
        resource.SearchParam = [.. interactions.SelectMany(i => i.SearchParameters).DistinctBy(p => p.Name).Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name,
            Definition = p.Definition,
            Type = EnumUtility.ParseLiteral<SearchParamType>(p.Type),
            Documentation = p.Documentation,
        })];
        resource.Operation = [.. interactions.Where(i => i.Operation is not null).Select(i => new CapabilityStatement.OperationComponent
        {
            Name = i.Operation,
            Definition = $"{OperationDefinitionBase}{type}-{i.Operation}",
            Documentation = i.Documentation,
        })];
        return resource;
    }

    private static CapabilityStatement.SecurityComponent Security(string tokenUrl, string? description)
    {
        var security = new CapabilityStatement.SecurityComponent
        {
            Cors = false,
            Service = [new CodeableConcept(RestfulSecurityService, "SMART-on-FHIR", "SMART-on-FHIR")],
            Description = description,
        };
        var uris = new Extension { Url = OAuthUrisExtension };
        uris.Extension.Add(new Extension("token", new FhirUri(tokenUrl)));
        security.Extension.Add(uris);
        return security;
    }
}
