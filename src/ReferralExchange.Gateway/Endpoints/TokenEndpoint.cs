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
/// to that certificate, with the SMART scopes of its kind and the purposes of use it may assert.
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
        // SMART App Launch v2 discovery for backend services (system scopes, client_credentials).
        app.MapGet("/.well-known/smart-configuration", (PublicBaseUrl publicBase) =>
        {
            // The same issuer OpenIddict's discovery and tokens name; never the request's Host.
            var issuer = publicBase.Root;
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["token_endpoint"] = $"{issuer}{OAuthSetup.TokenPath}",
                ["grant_types_supported"] = new[] { "client_credentials" },
                ["token_endpoint_auth_methods_supported"] = new[] { "tls_client_auth" },
                ["tls_client_certificate_bound_access_tokens"] = true,
                ["scopes_supported"] = Enum.GetValues<Core.Partners.PartnerKind>().SelectMany(k => SmartScopes.Default.AllowedFor(k)).Distinct().Order().ToArray(),
                ["capabilities"] = new[] { "permission-v2" },
            });
        });

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
            if (request.ClientAssertion is { } assertion)
            {
                // OpenIddict has verified the signature against the partner's registered key; SMART
                // Backend Services also asks for single use and an expiry at most five minutes out.
                var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(assertion);
                if (string.IsNullOrEmpty(jwt.Id) || jwt.ValidTo > time.GetUtcNow().UtcDateTime.AddMinutes(5).AddSeconds(30))
                {
                    return Refuse(OpenIddictConstants.Errors.InvalidClient, "The client assertion needs a jti and an exp at most five minutes out");
                }
                if (!await replays.TryUseAsync(partner.Id, jwt.Id, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), context.RequestAborted))
                {
                    return Refuse(OpenIddictConstants.Errors.InvalidClient, "The client assertion was already used");
                }
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
