using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// Adds <c>token_endpoint_auth_signing_alg_values_supported</c> (RFC 8414 §2) to OpenIddict's
/// <c>/.well-known/openid-configuration</c>, from the same list the assertion validation enforces,
/// so both discovery documents agree with each other and with what is accepted.
/// </summary>
public sealed class ClientAssertionDiscovery : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
        .UseSingletonHandler<ClientAssertionDiscovery>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachClientAuthenticationMethods.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        context.Metadata[OpenIddictConstants.Metadata.TokenEndpointAuthSigningAlgValuesSupported] = new OpenIddictParameter(System.Text.Json.JsonSerializer.SerializeToElement(ClientAssertionAlgorithms.Accepted));
        return ValueTask.CompletedTask;
    }
}
