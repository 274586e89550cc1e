using Microsoft.Extensions.Primitives;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Security;

/// <summary>
/// Which Host header values the gateway answers (RFC 9110 §7.2): the public base URL's host, in
/// development mode the names of the development server certificate, and the names in <c>AllowedHosts</c> (ASP.NET Core's setting, same pattern syntax: <c>*.example.org</c>;
/// ports are not compared). <c>AllowedHosts=*</c> turns the refusal off; links never follow the
/// Host header either way (<see cref="PublicBaseUrl"/>).
/// </summary>
public sealed class HostHeaderPolicy(PublicBaseUrl publicBase, IReadOnlyList<string> allowedHosts)
{
    public const string Setting = "AllowedHosts";

    public bool AcceptsAnyHost { get; } = allowedHosts.Contains("*");

    public static HostHeaderPolicy FromConfiguration(PublicBaseUrl publicBase, IConfiguration configuration, GatewayOptions options) =>
        new(publicBase, [
            .. (configuration[Setting] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            .. options.DevelopmentCertificates ? options.ServerHosts : []]);

    public bool Accepts(HostString host) =>
        AcceptsAnyHost
        || (host.HasValue && HostString.MatchesAny(new StringSegment(host.Host), [.. allowedHosts.Append(publicBase.Host).Select(h => new StringSegment(h))]));
}
