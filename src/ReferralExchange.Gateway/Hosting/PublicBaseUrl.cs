using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// The one absolute URL partners reach the gateway at (<c>Gateway:PublicBaseUrl</c>). Every link,
/// <c>fullUrl</c>, <c>Location</c>, the OAuth issuer and the discovery documents are built from it,
/// never from the request's Host header, which the client chooses (a forged Host would otherwise
/// steer partners' next requests, and their tokens, elsewhere: RFC 9110 §7.2, FHIR R4 §3.1.0.1.2
/// "[base]"). Production requires it. Development may leave it out: it is then derived from the
/// address Kestrel actually listens on, known only once the server has started (port 0 in tests).
/// </summary>
public sealed class PublicBaseUrl
{
    private readonly Lazy<Uri> _value;

    // PublicationOnly: a caller asking before Kestrel has bound (a background worker at start) gets
    // the exception without it being cached, so the first request after start still finds the URL.
    private PublicBaseUrl(Func<Uri> value) => _value = new Lazy<Uri>(value, LazyThreadSafetyMode.PublicationOnly);

    /// <summary>The base without a trailing slash, e.g. <c>https://rx.example.org</c>.</summary>
    public string Root => _value.Value.AbsoluteUri.TrimEnd('/');

    /// <summary>The FHIR base (FHIR R4 §3.1.0.1.2): <c>{Root}/fhir</c>.</summary>
    public string Fhir => $"{Root}/fhir";

    /// <summary>The OAuth issuer identifier (RFC 8414 §2): the root with a trailing slash.</summary>
    public Uri Issuer => new($"{Root}/");

    /// <summary>The host name links carry, which the Host header check always accepts.</summary>
    public string Host => _value.Value.IdnHost;

    public static PublicBaseUrl Create(GatewayOptions options, IServer server)
    {
        Validate(options);
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            var configured = Parse(options.PublicBaseUrl);
            return new PublicBaseUrl(() => configured);
        }
        return new PublicBaseUrl(() => FromListenAddress(server, options));
    }

    /// <summary>At start: a configured URL must be well-formed, and production must configure one.</summary>
    public static void Validate(GatewayOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            Parse(options.PublicBaseUrl);
        }
        else if (!options.DevelopmentCertificates)
        {
            throw new GatewayStartupException("Gateway:PublicBaseUrl is required in production mode (DevelopmentCertificates=false): links and tokens must not follow the request's Host header");
        }
    }

    /// <summary>An absolute https URL, optionally with a path prefix; no query, fragment or user info.</summary>
    public static Uri Parse(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new GatewayStartupException("Gateway:PublicBaseUrl must be an absolute https URL without query, fragment or user info");
        }
        return uri;
    }

    /// <summary>
    /// Development: https on the port Kestrel bound, with <c>localhost</c> for a loopback address and
    /// the server certificate's first name for a wildcard one: names the dev certificate carries.
    /// </summary>
    private static Uri FromListenAddress(IServer server, GatewayOptions options)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The public base URL is derived from the listen address, which is not known before the server has started");
        var listening = new Uri(address.Replace("[::]", "0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        var host = IPAddress.TryParse(listening.Host.Trim('[', ']'), out var ip) switch
        {
            true when IPAddress.IsLoopback(ip) => "localhost",
            true when ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) => options.ServerHosts.FirstOrDefault() ?? "localhost",
            _ => listening.Host,
        };
        return new UriBuilder(Uri.UriSchemeHttps, host, listening.Port).Uri;
    }
}
