using ReferralExchange.Gateway.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Health;

/// <summary>Readiness checks beside the audit-integrity ones (AuditWitnessing): the database, certificates, the signer and the validator's warm-up.</summary>
public static class GatewayHealthChecks
{
    public static void Add(WebApplicationBuilder builder)
    {
        // One instance: the signer probe keeps its last answer for a minute.
        builder.Services.AddSingleton<AuditSignerHealthCheck>();
        // One instance: the write probe's answer is kept for two seconds. The file guard exists on SQLite only.
        builder.Services.AddSingleton(services => new DatabaseWritableHealthCheck(
            services.GetRequiredService<GroupCommit>(), services.GetRequiredService<DatabaseContention>(),
            services.GetRequiredService<DeferredAuditTrail>(), services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<DatabaseFileGuard>()));
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseWritableHealthCheck>("database-writable", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<CertificateExpiryHealthCheck>("certificates", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<AuditSignerHealthCheck>("audit-signer", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<ValidatorWarmUpHealthCheck>("profile-validator", tags: [HealthEndpoints.ReadyTag]);
        LocalHealthProbe.Add(builder);
    }
}
