using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation.AspNetCore;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Where OpenIddict's request handlers run. <c>UseAuthentication()</c> hands every request to every
/// request-handling scheme, and OpenIddict's server then dispatches its whole request pipeline
/// (endpoint inference, request URI, our <see cref="PublicBaseUriHandler"/>) only to learn that an API
/// request is none of its endpoints: 3.8% of a read's CPU by profile (docs/benchmarks.md, eighth run).
/// So the server's endpoints get the full middleware, and every other request only OpenIddict
/// validation's request handler, which attaches the transaction that <see cref="Security.AccessTokenMiddleware"/>'s
/// token validation and any default challenge or forbid need (OpenIddict ID0166 otherwise).
/// </summary>
public static class OpenIddictRequestHandling
{
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static void UseOpenIddictRequestHandling(this WebApplication app)
    {
        // Read at the first request: the server's options name the issuer, known only once Kestrel listens (PublicBaseUrl).
        // PublicationOnly: a first request before the issuer is known fails alone instead of for good (as PublicBaseUrl).
        var endpoints = new Lazy<IReadOnlySet<string>>(() => ServerEndpointPaths(app.Services.GetRequiredService<IOptions<OpenIddictServerOptions>>().Value),
            LazyThreadSafetyMode.PublicationOnly);
        // Slashes at either end are ignored: PublicBaseUriHandler drops the leading ones before OpenIddict matches.
        bool IsServerEndpoint(HttpContext context) => endpoints.Value.Contains("/" + (context.Request.Path.Value ?? string.Empty).Trim('/'));

        app.UseWhen(IsServerEndpoint, server => server.UseAuthentication());
        // UseAuthentication() in a branch marks only the branch. Unmarked, WebApplication would add its
        // own UseAuthentication() at the head of the pipeline, ahead of the Host check, for every request
        // (WebApplicationBuilder: it looks for the key AuthAppBuilderExtensions sets). HostHeaderTests
        // catches that: OpenIddict would answer a forged Host's discovery request before the check.
        ((IApplicationBuilder)app).Properties[AuthenticationMiddlewareSetKey] = true;
        // Everywhere else only validation's handler. At a server endpoint UseAuthentication() has run it
        // already, and its transaction is attached: the path is matched once per request, not twice.
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<OpenIddictValidationAspNetCoreFeature>() is null)
            {
                var handlers = context.RequestServices.GetRequiredService<IAuthenticationHandlerProvider>();
                if (await handlers.GetHandlerAsync(context, OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme) is IAuthenticationRequestHandler validation
                    && await validation.HandleRequestAsync())
                {
                    return;
                }
            }
            await next(context);
        });
    }

    /// <summary>
    /// The request paths of every endpoint the server has configured. Its URIs are relative to the
    /// issuer (<see cref="PublicBaseUriHandler"/> rebases a request on it), so a relative URI is a path
    /// here; an absolute one contributes its path.
    /// </summary>
    public static IReadOnlySet<string> ServerEndpointPaths(OpenIddictServerOptions server)
    {
        IEnumerable<Uri>[] lists =
        [
            server.AuthorizationEndpointUris, server.ConfigurationEndpointUris, server.DeviceAuthorizationEndpointUris,
            server.EndSessionEndpointUris, server.EndUserVerificationEndpointUris, server.IntrospectionEndpointUris,
            server.JsonWebKeySetEndpointUris, server.PushedAuthorizationEndpointUris, server.RevocationEndpointUris,
            server.TokenEndpointUris, server.UserInfoEndpointUris,
        ];
        return lists.SelectMany(uris => uris)
            .Select(uri => "/" + (uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString).Trim('/'))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
