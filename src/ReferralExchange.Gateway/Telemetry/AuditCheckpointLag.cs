using System.Diagnostics.Metrics;
using ReferralExchange.Infrastructure.Telemetry;

namespace ReferralExchange.Gateway.Telemetry;

/// <summary>
/// How far the signed checkpoints trail the audit log (issue 15 §7): records written since the
/// latest checkpoint and seconds since it was signed, as observable gauges. The checkpoint worker
/// reports what it read on each poll (Gateway:Audit:CheckpointPollInterval), so a collection
/// never queries the database; the age is computed when observed. Nothing is reported before the
/// first poll, and no age before the first checkpoint.
/// </summary>
public sealed class AuditCheckpointLag
{
    public const string PendingRecords = "rx.audit.checkpoint.pending_records";
    public const string Age = "rx.audit.checkpoint.age";

    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private long? _pending;
    private DateTimeOffset? _lastSignedAt;

    public AuditCheckpointLag(IMeterFactory meters, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(GatewayTelemetry.Name);
        meter.CreateObservableGauge(PendingRecords, ObservePending, "{record}", "Audit records written since the latest signed checkpoint");
        meter.CreateObservableGauge(Age, ObserveAge, "s", "Seconds since the latest audit checkpoint was signed");
    }

    public void Report(long pending, DateTimeOffset? lastSignedAt)
    {
        lock (_lock)
        {
            _pending = pending;
            _lastSignedAt = lastSignedAt;
        }
    }

    private IEnumerable<Measurement<long>> ObservePending()
    {
        lock (_lock)
        {
            return _pending is { } pending ? [new Measurement<long>(pending)] : [];
        }
    }

    private IEnumerable<Measurement<double>> ObserveAge()
    {
        lock (_lock)
        {
            return _lastSignedAt is { } signed ? [new Measurement<double>(Math.Max(0, (_time.GetUtcNow() - signed).TotalSeconds))] : [];
        }
    }
}
