using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Gateway.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The token endpoint's last step (OpenIddict passthrough): the client is already authenticated by
/// its TLS certificate (tls_client_auth) when this runs; it receives a token naming itself, bound
/// to that certificate.
/// </summary>
public static class TokenEndpoint
{
    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost(OAuthSetup.TokenPath, (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest()
                ?? throw new InvalidOperationException("The OpenIddict request is missing");
            if (!request.IsClientCredentialsGrantType())
            {
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }
            // The client authenticated with its certificate; the partner behind it decides its scopes.
            var partner = context.Current();
            if (request.ClientId != partner.Id)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidClient, "The client certificate belongs to another client");
            }
            var granted = SmartScopes.Default.Grant(partner.Kind, request.GetScopes().ToList());
            if (granted is null)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidScope, "A requested scope is not allowed for this partner");
            }
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.ClientId, request.ClientId);
            identity.SetScopes(granted);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
    }
}
