using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// A client assertion refused by one of OpenIddict's token checks (audience, expiry) comes back as
/// <c>invalid_token</c>, which is not a token endpoint error (RFC 6749 §5.2). For a
/// <c>client_credentials</c> request the only token validated is the client assertion, and SMART
/// ("Client Authentication: Asymmetric", Signature Verification) says "If an error is encountered
/// during the authentication process, the server SHALL respond with an invalid_client error".
/// OpenIddict rewrites the same error for its other grants (NormalizeErrorResponse) but not this one.
/// </summary>
public sealed class ClientAssertionErrorCode : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseSingletonHandler<ClientAssertionErrorCode>()
        .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (context.Request?.IsClientCredentialsGrantType() == true && context.Response.Error == OpenIddictConstants.Errors.InvalidToken)
        {
            context.Response.Error = OpenIddictConstants.Errors.InvalidClient;
        }
        return ValueTask.CompletedTask;
    }
}
