using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Gateway.Health;

/// <summary>
/// "Database writable" (issue 13 §5; ADR 0023). In order:
/// <list type="number">
/// <item>The SQLite file is still the one opened (<see cref="DatabaseFileGuard"/>, a stat): if it was
/// removed or replaced, <b>Unhealthy</b> — writes answer 503 until restart, so the balancer must take
/// this instance out.</item>
/// <item>A probe: an empty unit through the <see cref="GroupCommit"/>, the path every write takes. It
/// joins the next batch (under load it costs nothing more; idle, one empty transaction), takes the
/// write lock (SQLite: BEGIN IMMEDIATE), commits, and the file is checked again after the commit. It
/// writes no row and no audit record. Bounded by <see cref="ProbeTimeout"/>; its answer is kept for
/// <see cref="CacheFor"/> so a balancer polling every second cannot add load.</item>
/// <item>A probe that did not get the lock in time, or a database the last writes found busy
/// (<see cref="DatabaseContention"/>), is <b>Degraded</b>: requests answer 503 with Retry-After on
/// their own, and every instance on the same database would see the same lock, so taking this one
/// out would not help. Audit records of refusals still waiting for the database
/// (<see cref="DeferredAuditTrail.Pending"/>) are Degraded too.</item>
/// <item>A probe that failed otherwise (read-only file, I/O error) is <b>Unhealthy</b>.</item>
/// </list>
/// Descriptions name no path and no exception text (the probe needs no token).
/// </summary>
public sealed class DatabaseWritableHealthCheck(GroupCommit commit, DatabaseContention contention, DeferredAuditTrail deferred,
    TimeProvider time, DatabaseFileGuard? file = null) : IHealthCheck
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private (DateTimeOffset At, Task<HealthCheckResult> Probe)? _last;

    /// <summary>At most this long for the probe, and never longer than the busy bound requests get.</summary>
    public TimeSpan ProbeTimeout => contention.BusyTimeout < TimeSpan.FromSeconds(3) ? contention.BusyTimeout : TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (file is not null && !file.Check())
        {
            return FileGone();
        }
        var probed = await ProbeAsync().WaitAsync(cancellationToken);
        if (probed.Status != HealthStatus.Healthy)
        {
            return probed;
        }
        if (contention.IsBusy)
        {
            return Busy();
        }
        return deferred.Pending is var pending and > 0
            ? HealthCheckResult.Degraded($"{pending} audit records of refused requests are waiting for the database")
            : probed;
    }

    /// <summary>The cached probe, or a new one once it is older than <see cref="CacheFor"/>; concurrent callers share one.</summary>
    private Task<HealthCheckResult> ProbeAsync()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_last is { } last && (!last.Probe.IsCompleted || now - last.At < CacheFor))
            {
                return last.Probe;
            }
            var probe = RunProbeAsync();
            _last = (now, probe);
            return probe;
        }
    }

    private async Task<HealthCheckResult> RunProbeAsync()
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            // Bounded twice: the cancellation abandons a unit its batch has not reached; WaitAsync
            // stops waiting for one whose batch is already waiting for the lock.
            await commit.RunAsync((_, _) => Task.CompletedTask, timeout.Token).WaitAsync(ProbeTimeout);
            return file is not null && !file.Check() ? FileGone() : HealthCheckResult.Healthy("a write transaction committed");
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException || DatabaseContention.IsBusyError(error)
            || error is Core.Errors.GatewayException { Kind: Core.Errors.ErrorKind.Unavailable } && (file is null || file.IsIntact))
        {
            return Busy();
        }
        catch (Exception error)
        {
            return file is not null && !file.Check()
                ? FileGone()
                : HealthCheckResult.Unhealthy($"the database did not accept a write transaction ({error.GetType().Name})");
        }
    }

    private HealthCheckResult Busy() =>
        HealthCheckResult.Degraded($"the database is busy: the write lock was not had within {ProbeTimeout.TotalSeconds:0.#} s; requests answer 503 with Retry-After");

    private static HealthCheckResult FileGone() =>
        HealthCheckResult.Unhealthy("the database file is no longer the one the gateway opened; writes are refused until restart");
}
