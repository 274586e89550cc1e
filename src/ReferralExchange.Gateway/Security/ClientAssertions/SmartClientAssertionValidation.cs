using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using ReferralExchange.Gateway.Hosting;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReferralExchange.Gateway.Security.ClientAssertions;

/// <summary>
/// Runs right after OpenIddict has chosen the parameters for validating a client assertion and
/// widens or narrows them to SMART App Launch 2.x "Client Authentication: Asymmetric":
/// <list type="bullet">
/// <item><c>typ</c> is the fixed value <c>JWT</c> in SMART; OpenIddict 7 accepts only
/// <c>client-authentication+jwt</c> (draft-ietf-oauth-rfc7523bis). Both are accepted.</item>
/// <item><c>aud</c> is "the FHIR authorization server's token URL" in SMART; OpenIddict accepts only
/// the issuer. Both are accepted (RFC 7523 §3 point 3 allows either).</item>
/// <item><c>alg</c> must be one of <see cref="ClientAssertionAlgorithms.Accepted"/>.</item>
/// <item>Key selection follows SMART's "Signature Verification" algorithm: a <c>jku</c> header must
/// match a JWK Set URL registered for the client, and none is (partners register their certificate's
/// key), so any <c>jku</c> fails; otherwise the single registered key whose <c>kid</c> equals the
/// header's is used, and no <c>kid</c> or no match fails (IdentityModel would otherwise try every key).</item>
/// </list>
/// Single use (<c>jti</c>) and the five-minute <c>exp</c> are checked at the token endpoint
/// (<see cref="ClientAssertionRules"/>). A refusal here is OpenIddict's <c>invalid_client</c>.
/// </summary>
public sealed class SmartClientAssertionValidation : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<SmartClientAssertionValidation>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    /// <summary>The typ values accepted: SMART's and OpenIddict's own (RFC 8725 §3.11 explicit typing).</summary>
    public static IReadOnlyList<string> AcceptedTypes { get; } = ["JWT", "client-authentication+jwt", "application/client-authentication+jwt"];

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (!ClientAssertionTokenType.IsOnlyClientAssertion(context) || context.TokenValidationParameters is not { } parameters)
        {
            return ValueTask.CompletedTask;
        }
        parameters.ValidTypes = AcceptedTypes;
        parameters.ValidAlgorithms = ClientAssertionAlgorithms.Accepted;
        if (context.Options.Issuer is { } issuer)
        {
            context.ValidAudiences.Add(TokenEndpointUrl(issuer));
        }
        if (parameters.IssuerSigningKeyResolver is { } registered)
        {
            parameters.IssuerSigningKeyResolver = (token, securityToken, kid, validation) =>
                securityToken is JsonWebToken jwt && jwt.TryGetHeaderValue<string>("jku", out _) || string.IsNullOrEmpty(kid)
                    ? []
                    : registered(token, securityToken, kid, validation).Where(key => string.Equals(key.KeyId, kid, StringComparison.Ordinal)).ToList();
            parameters.TryAllIssuerSigningKeys = false;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The token endpoint's absolute URL, as discovery names it: the issuer plus <c>connect/token</c>.</summary>
    public static string TokenEndpointUrl(Uri issuer) => new Uri(issuer, OAuthSetup.TokenPath.TrimStart('/')).AbsoluteUri;
}
