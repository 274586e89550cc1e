using Microsoft.AspNetCore.Http.Timeouts;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Failing closed (issue 13 §2, §4; ADR 0015): bounded waits for the database, the SQLite file's
/// identity watched, refusals' audit records deferred while the database is away, and a time limit
/// on every request. The services a readiness check reads: <see cref="DatabaseFileGuard"/>
/// (SQLite only) and <see cref="DatabaseContention"/>; <see cref="DeferredAuditTrail.Pending"/>.
/// </summary>
public static class DatabaseFaults
{
    public static void Add(WebApplicationBuilder builder, DatabaseOptions database, GatewayPaths paths, bool sqlite, TimeSpan requestTimeout)
    {
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton<DatabaseContention>();
        if (sqlite)
        {
            builder.Services.AddSingleton(services => new DatabaseFileGuard(paths.DatabasePath, services.GetRequiredService<ILogger<DatabaseFileGuard>>()));
            builder.Services.AddSingleton(services => WriteGate.SingleWriter(services.GetRequiredService<DatabaseContention>(), services.GetRequiredService<DatabaseFileGuard>()));
            builder.Services.AddHostedService<DatabaseFileWatchWorker>();
        }
        else
        {
            builder.Services.AddSingleton(WriteGate.None());
        }
        builder.Services.AddSingleton<DeferredAuditTrail>();
        builder.Services.AddSingleton<IDeferredAuditTrail>(services => services.GetRequiredService<DeferredAuditTrail>());

        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = requestTimeout,
            // Only if our OperationOutcome middleware did not answer first (it does: 503, Retry-After).
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
    }
}
