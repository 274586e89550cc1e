using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// OpenIddict names a validated token's kind after its <c>typ</c> header, and reads <c>typ: JWT</c>
/// as an identity token; the check that follows then throws (ID0005) for a client assertion.
/// When only a client assertion was expected (the token endpoint's client authentication) and
/// <see cref="SmartClientAssertionValidation"/> let a SMART <c>typ: JWT</c> through, the principal
/// is a client assertion. Runs right after OpenIddict's IdentityModel validation.
/// </summary>
public sealed class ClientAssertionTokenType : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<ClientAssertionTokenType>()
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (IsOnlyClientAssertion(context) && context.Principal is { } principal
            && principal.GetTokenType() == OpenIddictConstants.TokenTypeIdentifiers.IdentityToken)
        {
            context.Principal = principal.SetTokenType(OpenIddictConstants.TokenTypeIdentifiers.Private.ClientAssertion);
        }
        return ValueTask.CompletedTask;
    }

    public static bool IsOnlyClientAssertion(ValidateTokenContext context) =>
        context.ValidTokenTypes.Count == 1 && context.ValidTokenTypes.Contains(OpenIddictConstants.TokenTypeIdentifiers.Private.ClientAssertion);
}
