namespace ReferralExchange.Core.Notifications;

/// <summary>
/// The clock of the outbox: due times, retry windows, leases and the circuit breakers. Its own
/// service so that a test can run delivery on simulated time (FakeTimeProvider) while tokens,
/// certificates and the audit trail keep the real clock. Leases compare times written by several
/// processes: in production this is the system clock, and hosts sharing a database keep it in sync (NTP).
/// </summary>
public sealed class NotificationClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}
