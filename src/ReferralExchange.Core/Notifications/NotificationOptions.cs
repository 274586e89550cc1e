namespace ReferralExchange.Core.Notifications;

/// <summary>
/// How notifications are delivered (<c>Gateway:Notifications</c>): the durable retry schedule, the
/// per-row lease, and the per-attempt limits the outbound HTTP pipeline enforces per endpoint origin.
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>How long a notification is retried, from when it was written or re-driven; then it is dead-lettered.</summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromHours(24);
    /// <summary>The backoff's first ceiling; it doubles per consecutive failure.</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>The backoff's largest ceiling: a partner that comes back is tried again within this long.</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Optional hard limit on attempts before the window ends (null: the window alone decides).</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>Subscriptions served per round (each gets one run of its oldest pending notifications).</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>Notifications of one subscription sent in order in one run, stopping at the first failure.</summary>
    public int RunLength { get; set; } = 20;
    /// <summary>Runs in flight at once: a slow partner must not hold up everyone else's notifications.</summary>
    public int Parallelism { get; set; } = 8;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a claimed row is this process's; a crashed holder's rows are taken over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One HTTP attempt's limit, enforced by the outbound resilience pipeline.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Share of failed attempts to one origin, within the sampling window, that opens its circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;
    /// <summary>Attempts to one origin within the sampling window before the ratio counts.</summary>
    public int CircuitMinimumThroughput { get; set; } = 4;
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long an open circuit refuses attempts before one probe is let through (half-open).</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public RetrySchedule Schedule() => new(RetryBase, RetryCap, RetryWindow);

    /// <summary>Refuses settings that cannot work, naming the setting (checked at start-up).</summary>
    public void Validate()
    {
        _ = Schedule();
        if (BatchSize < 1 || RunLength < 1 || Parallelism < 1) throw new ArgumentException("Gateway:Notifications:BatchSize, RunLength and Parallelism must be at least 1");
        if (MaxAttempts is < 1) throw new ArgumentException("Gateway:Notifications:MaxAttempts must be at least 1 when set");
        // A run must be able to finish at least one attempt inside its lease, or rows would change hands mid-send.
        if (LeaseDuration < AttemptTimeout * 2) throw new ArgumentException("Gateway:Notifications:LeaseDuration must be at least twice AttemptTimeout");
    }
}
