using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// OpenIddict takes the base of the endpoint URLs in its discovery document from the request's
/// Host header, even with a configured issuer. This handler, right after OpenIddict's own
/// <c>ResolveRequestUri</c>, puts the public base URL in its place, so that
/// <c>/.well-known/openid-configuration</c> (RFC 8414 §3.2), client assertion audiences and endpoint
/// matching all speak of the same origin. The request's path is kept; only the origin changes.
/// </summary>
public sealed class PublicBaseUriHandler(PublicBaseUrl publicBase) : IOpenIddictServerHandler<ProcessRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
        .UseSingletonHandler<PublicBaseUriHandler>()
        .SetOrder(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        var issuer = publicBase.Issuer;
        if (context.RequestUri is { } requested)
        {
            context.RequestUri = new Uri(issuer, requested.PathAndQuery.TrimStart('/'));
        }
        context.BaseUri = issuer;
        return ValueTask.CompletedTask;
    }
}
