using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Client.AspNetCore;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace ReferralExchange.WebConsole.Accounts;

/// <summary>
/// The three steps of the people's sign-in: the authorization endpoint (the server side: who is
/// signed in with Identity, else the sign-in page), the token endpoint (the code, with its PKCE
/// verifier, for tokens), and the redirection endpoint (the client side: the session is made from
/// the validated identity token).
/// </summary>
public static class SignInEndpoints
{
    /// <summary>What travels from the account to the session, and nothing else.</summary>
    private static readonly string[] Carried = [Claims.Subject, Claims.Name, ConsoleClaims.Partner, ConsoleClaims.Kind, ConsoleClaims.DisplayName, ConsoleClaims.AuthenticationMethod];

    public static void MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/connect/authorize", ["GET", "POST"], (Delegate)AuthorizeAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/connect/token", (Delegate)TokenAsync).AllowAnonymous().DisableAntiforgery();
        app.MapMethods("/" + PeopleSignIn.CallbackPath, ["GET", "POST"], (Delegate)CallbackAsync).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<ConsoleUser> users, IUserClaimsPrincipalFactory<ConsoleUser> principals)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request");
        var signedIn = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!signedIn.Succeeded || await users.GetUserAsync(signedIn.Principal) is not { } user)
        {
            // To the sign-in page (password, then TOTP where enrolled), and back here with the same request.
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + context.Request.QueryString },
                [IdentityConstants.ApplicationScheme]);
        }
        if (await AccountState.IsDisabledAsync(users, user))
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
            return Results.Redirect("/Account/SignIn");
        }
        var account = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Id));
        identity.AddClaim(new Claim(Claims.Name, user.UserName ?? user.Id));
        foreach (var claim in account.Claims.Where(c => c.Type is ConsoleClaims.Partner or ConsoleClaims.Kind or ConsoleClaims.DisplayName))
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value));
        }
        // How the person proved it (RFC 8176): "mfa" only after the second factor in this Identity session.
        foreach (var method in signedIn.Principal!.FindAll(ConsoleClaims.AuthenticationMethod))
        {
            identity.AddClaim(new Claim(ConsoleClaims.AuthenticationMethod, method.Value));
        }
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes().Intersect([Scopes.OpenId, Scopes.Profile]));
        principal.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(principal, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request");
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.UnsupportedGrantType,
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        // The code (and its PKCE verifier) was checked by OpenIddict; the identity is the one the code was issued for.
        var code = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return Results.SignIn(code.Principal!, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> CallbackAsync(HttpContext context, UserManager<ConsoleUser> users)
    {
        var result = await context.AuthenticateAsync(OpenIddictClientAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            return Results.Redirect("/Account/SignIn");
        }
        var identity = new ClaimsIdentity(PeopleSignIn.SessionScheme, Claims.Name, Claims.Role);
        identity.AddClaims(result.Principal.Claims.Where(c => Carried.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)));
        // The account's security stamp now: a later change (disabled, password set, two-factor changed) ends this session (SessionValidation).
        if (identity.FindFirst(Claims.Subject)?.Value is not { } subject || await users.FindByIdAsync(subject) is not { } user)
        {
            return Results.Redirect("/Account/SignIn");
        }
        identity.AddClaim(new Claim(AccountState.StampClaim, user.SecurityStamp ?? ""));
        var returnTo = result.Properties?.RedirectUri is { } uri && uri.StartsWith('/') && !uri.StartsWith("//", StringComparison.Ordinal) ? uri : "/";
        await context.SignInAsync(PeopleSignIn.SessionScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        return Results.Redirect(returnTo);
    }
}
