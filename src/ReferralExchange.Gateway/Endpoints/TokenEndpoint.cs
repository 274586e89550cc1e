using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.Gateway.Security;
using ReferralExchange.Gateway.Security.ClientAssertions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The token endpoint's last step (OpenIddict passthrough): the client is already authenticated by
/// its TLS certificate (tls_client_auth) when this runs; it receives a token naming itself, bound
/// to that certificate, with the SMART scopes of its kind and the purposes of use it may assert.
/// A <c>private_key_jwt</c> assertion, already verified by OpenIddict, must also pass
/// <see cref="ClientAssertionRules"/> (SMART: single use, at most five minutes).
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
        app.MapPost(OAuthSetup.TokenPath, async (HttpContext context, ReferralExchange.Infrastructure.Partners.ClientAssertionReplayGuard replays, TimeProvider time) =>
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
            if (request.ClientAssertion is { } assertion
                && await ClientAssertionRules.CheckAsync(assertion, partner.Id, replays, time.GetUtcNow(), context.RequestAborted) is { } refusal)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidClient, refusal);
            }
            var granted = SmartScopes.Default.Grant(partner.Kind, request.GetScopes().ToList());
            if (granted is null)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidScope, "A requested scope is not allowed for this partner");
            }
            // Purpose of use is part of the authorization (issue 10): the token carries the purposes
            // the partner may assert and asked for; the consent decision uses them, a header only narrows.
            var (requestedPurposes, purposeError) = RequestedPurposes.From(request);
            if (purposeError is not null)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidRequest, purposeError);
            }
            var purposes = PurposeOfUseRules.Default.Grant(partner, requestedPurposes);
            if (purposes is null)
            {
                return Refuse(OpenIddictConstants.Errors.InvalidScope, "A requested purpose of use is unknown or not registered for this partner");
            }
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, request.ClientId);
            identity.SetClaim(Claims.ClientId, request.ClientId);
            identity.SetScopes(granted);
            identity.SetClaims(AccessTokenRules.PurposeClaim, [.. purposes]);
            identity.SetAudiences(OAuthSetup.ApiAudience);
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
    }
}
