using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Gateway.Health;

/// <summary>
/// The gateway's own certificates (TLS server, outbound notification client): Degraded when one
/// expires within 14 days (issue 13 §5: a warning, the gateway still serves), Unhealthy once one has
/// expired (partners' handshakes fail). Names the certificate by role and date, never its subject.
/// </summary>
public sealed class CertificateExpiryHealthCheck(GatewayCertificates certificates, TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan Warning = TimeSpan.FromDays(14);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var owned = new List<(string Role, X509Certificate2 Certificate)> { ("server", certificates.Server) };
        if (certificates.OutboundClient is { } client)
        {
            owned.Add(("outbound client", client));
        }
        var expired = owned.Where(c => c.Certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime).ToList();
        if (expired.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(Describe("expired", expired)));
        }
        var expiring = owned.Where(c => c.Certificate.NotAfter.ToUniversalTime() - now.UtcDateTime <= Warning).ToList();
        return Task.FromResult(expiring.Count > 0
            ? HealthCheckResult.Degraded(Describe("expires within 14 days", expiring))
            : HealthCheckResult.Healthy("no certificate expires within 14 days"));
    }

    private static string Describe(string state, IEnumerable<(string Role, X509Certificate2 Certificate)> certificates) =>
        string.Join("; ", certificates.Select(c => $"{c.Role} certificate {state} (not after {c.Certificate.NotAfter.ToUniversalTime():yyyy-MM-dd})"));
}
