using System.Net;
using System.Net.Sockets;
using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// Where the gateway may send a notification: only to an https origin (scheme, host, port; RFC 6454
/// §4) the operator registered for the partner. A Subscription is partner input; without this list
/// it would make the gateway call any address it names, loopback and internal services included
/// (server-side request forgery, OWASP API7:2023).
/// </summary>
public static class NotificationOrigin
{
    /// <summary>The origin of an absolute https URL without user info (<c>https://host:port</c>, host lower-case); null otherwise.</summary>
    public static string? Of(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Of(uri) : null;

    /// <inheritdoc cref="Of(string?)"/>
    public static string? Of(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0 && uri.IdnHost.Length > 0
            ? $"https://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}"
            : null;

    /// <summary>Whether the partner registered the endpoint's origin.</summary>
    public static bool IsRegistered(Partner partner, Uri endpoint) =>
        Of(endpoint) is { } origin && partner.NotificationOrigins.Contains(origin, StringComparer.Ordinal);

    /// <summary>
    /// Loopback, link-local or unspecified addresses and <c>localhost</c> names (RFC 6761 §6.3): the
    /// gateway's own host or its cloud metadata service, never a partner's server. Registering one
    /// takes an explicit development switch.
    /// </summary>
    public static bool IsLocal(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return true;
        }
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }
        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? address.IsIPv6LinkLocal
            : address.GetAddressBytes() is [169, 254, _, _];
    }
}
