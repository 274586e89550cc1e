using Microsoft.AspNetCore.Connections.Features;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// The last access token validated on this connection, with what the API needs of it. A partner
/// sends the same token on every request of a kept-alive connection; validating its signature and
/// running OpenIddict's pipeline each time is most of a cheap read's cost. A hit requires the same
/// token string on the same connection, presented with the same certificate, before its expiry;
/// the partner's own status is still checked on every request (PartnerAuthenticationMiddleware),
/// so a suspended or revoked partner is refused on its next request all the same.
/// </summary>
public static class ValidatedTokenCache
{
    public sealed record Entry(string Token, string CertificateThumbprint, string ClientId, IReadOnlyList<string> Scopes,
        IReadOnlyList<string> Purposes, DateTimeOffset Expires);

    public static Entry? Find(HttpContext context, string token, string thumbprint, DateTimeOffset now) =>
        Items(context)?.TryGetValue(typeof(Entry), out var value) == true
        && value is Entry entry
        && entry.CertificateThumbprint == thumbprint
        && now < entry.Expires
        && string.Equals(entry.Token, token, StringComparison.Ordinal)
            ? entry
            : null;

    public static void Keep(HttpContext context, Entry entry)
    {
        if (Items(context) is { } items)
        {
            items[typeof(Entry)] = entry;
        }
    }

    private static IDictionary<object, object?>? Items(HttpContext context) => context.Features.Get<IConnectionItemsFeature>()?.Items;
}
