using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using ReferralExchange.Core.Authorization;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// The API needs both a valid access token and the TLS client certificate it is bound to (RFC 8705
/// §3): OpenIddict validation checks the signature, expiry, audience and the <c>cnf.x5t#S256</c>
/// binding to this connection's certificate; <see cref="AccessTokenRules"/> then requires the
/// binding itself, sane <c>iat</c>/<c>nbf</c>/<c>exp</c> and a purpose of use. Here the token's
/// client must be the certificate's partner, and its SMART scopes must cover the interaction
/// (403 naming the missing scope).
/// </summary>
public sealed class AccessTokenMiddleware(RequestDelegate next, IOptions<Hosting.GatewayOptions> options, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (RequiredScope.IsPublic(template))
        {
            await next(context);
            return;
        }
        // OpenIddict validation reads the token from the Authorization header only (its default).
        var header = context.Request.Headers.Authorization.ToString();
        var raw = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : string.Empty;
        var now = time.GetUtcNow();
        var thumbprint = CallerContext.ThumbprintOf(context);
        var token = ValidatedTokenCache.Find(context, raw, thumbprint, now) ?? await ValidateAsync(context, raw, thumbprint, now);

        TokenPurposes.Set(context, token.Purposes);
        if (token.ClientId != context.Current().Id)
        {
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "The access token was issued to another client", "Authorization");
        }
        if (RequiredScope.For(context) is { } scope && !SmartScopes.Covers(token.Scopes, scope))
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", $"The access token lacks the scope {scope}", "Authorization");
        }
        await next(context);
    }

    /// <summary>Full validation (signature, issuer, audience, expiry, certificate binding, our claim rules); kept for the connection.</summary>
    private async Task<ValidatedTokenCache.Entry> ValidateAsync(HttpContext context, string raw, string thumbprint, DateTimeOffset now)
    {
        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", "A valid access token bound to this connection's client certificate is required", "Authorization");
        }
        var (purposes, error) = AccessTokenRules.Check(raw, now, options.Value.AccessTokenLifetime);
        if (error is not null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            throw new GatewayException(ErrorKind.NotAuthenticated, "security", $"The access token is refused: {error}", "Authorization");
        }
        var clientId = result.Principal.GetClaim(OpenIddictConstants.Claims.ClientId) ?? result.Principal.GetClaim(OpenIddictConstants.Claims.Subject) ?? string.Empty;
        var expires = new DateTimeOffset(new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(raw).ValidTo, TimeSpan.Zero);
        var entry = new ValidatedTokenCache.Entry(raw, thumbprint, clientId, result.Principal.GetScopes().ToList(), purposes, expires);
        ValidatedTokenCache.Keep(context, entry);
        return entry;
    }
}
