using Hl7.Fhir.Model;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Gateway.Fhir.Capabilities;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Gateway.Security.ClientAssertions;

namespace ReferralExchange.Gateway.Fhir;

/// <summary>
/// The CapabilityStatement: the descriptive base from <c>profiles/</c> with the interactions the
/// routes declare (<see cref="CapabilityStatementBuilder"/>). Built once, on first use: the routing
/// table is complete and the public base URL known by then (in development it follows the listen port).
/// </summary>
public sealed class CapabilityStatementProvider
{
    private readonly Lazy<CapabilityStatement> _current;

    public CapabilityStatementProvider(ProfilePackage package, TimeProvider time, EndpointDataSource endpoints, PublicBaseUrl publicBase)
    {
        var template = package.CapabilityStatement ?? throw new InvalidOperationException("profiles/ holds no CapabilityStatement");
        var date = time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        _current = new Lazy<CapabilityStatement>(() => CapabilityStatementBuilder.Build(
            template,
            endpoints.Endpoints.SelectMany(e => e.Metadata.OfType<FhirInteraction>()),
            publicBase.Fhir,
            SmartClientAssertionValidation.TokenEndpointUrl(publicBase.Issuer),
            date));
    }

    public CapabilityStatement Current => _current.Value;
}
