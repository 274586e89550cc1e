namespace ReferralExchange.Core.Notifications;

/// <summary>
/// When a failed notification is tried again: capped exponential backoff with full jitter
/// (delay drawn uniformly from [0, min(cap, base × 2^(failures−1))), the "full jitter" of the AWS
/// Architecture Blog's "Exponential Backoff and Jitter"), so that many senders retrying one
/// recovered partner do not arrive in lockstep; inside a retry window measured from when the
/// notification was written (or re-driven). The last attempt is made at the window's end; a
/// failure at or after it is final (dead letter). The schedule is data on the outbox row (attempt
/// count, next attempt time), never an in-memory loop, so it survives restarts (ADR 0014).
/// </summary>
public sealed class RetrySchedule
{
    public RetrySchedule(TimeSpan baseDelay, TimeSpan cap, TimeSpan window)
    {
        if (baseDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(baseDelay), "the base delay must be positive");
        if (cap < baseDelay) throw new ArgumentOutOfRangeException(nameof(cap), "the cap must not be below the base delay");
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), "the retry window must be positive");
        BaseDelay = baseDelay;
        Cap = cap;
        Window = window;
    }

    public TimeSpan BaseDelay { get; }
    public TimeSpan Cap { get; }
    public TimeSpan Window { get; }

    /// <summary>The largest delay after this many consecutive failures (1 or more): base × 2^(failures−1), at most the cap.</summary>
    public TimeSpan Ceiling(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        // Past 2^40 any sane base is far over any sane cap; the exponent stops there so the double cannot overflow.
        var ticks = BaseDelay.Ticks * Math.Pow(2, Math.Min(failures - 1, 40));
        return ticks >= Cap.Ticks ? Cap : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay after this many failures for a uniform random draw <paramref name="unit"/> in [0, 1).</summary>
    public TimeSpan Delay(int failures, double unit)
    {
        if (unit is < 0 or >= 1 || double.IsNaN(unit)) throw new ArgumentOutOfRangeException(nameof(unit), "a draw in [0, 1)");
        return TimeSpan.FromTicks((long)(Ceiling(failures).Ticks * unit));
    }

    /// <summary>When the window opened at <paramref name="windowStart"/> closes: the last moment an attempt is made.</summary>
    public DateTimeOffset Deadline(DateTimeOffset windowStart) => windowStart + Window;

    /// <summary>The next attempt after a failure at <paramref name="now"/>, or null when the window is spent (dead letter).</summary>
    public DateTimeOffset? NextAttempt(int failures, DateTimeOffset windowStart, DateTimeOffset now, double unit) =>
        Defer(windowStart, now, Delay(failures, unit));

    /// <summary>
    /// An attempt put off by <paramref name="wait"/> without a failure being counted (the endpoint's
    /// circuit is open: no request was made); clamped to the deadline, null once it has passed.
    /// </summary>
    public DateTimeOffset? Defer(DateTimeOffset windowStart, DateTimeOffset now, TimeSpan wait)
    {
        var deadline = Deadline(windowStart);
        if (now >= deadline)
        {
            return null;
        }
        var next = now + wait;
        return next > deadline ? deadline : next;
    }
}
