using ReferralExchange.Gateway.Audit;

namespace ReferralExchange.Gateway.Health;

/// <summary>Readiness checks beside the audit-integrity ones (AuditWitnessing): certificates and the signer.</summary>
public static class GatewayHealthChecks
{
    public static void Add(WebApplicationBuilder builder)
    {
        // One instance: the signer probe keeps its last answer for a minute.
        builder.Services.AddSingleton<AuditSignerHealthCheck>();
        builder.Services.AddHealthChecks()
            .AddCheck<CertificateExpiryHealthCheck>("certificates", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<AuditSignerHealthCheck>("audit-signer", tags: [HealthEndpoints.ReadyTag]);
        LocalHealthProbe.Add(builder);
    }
}
