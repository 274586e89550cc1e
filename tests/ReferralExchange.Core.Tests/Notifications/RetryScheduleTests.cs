using CsCheck;
using ReferralExchange.Core.Notifications;

namespace ReferralExchange.Core.Tests.Notifications;

/// <summary>The durable retry schedule: capped exponential backoff, full jitter, a window that ends in a dead letter.</summary>
public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Written = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly RetrySchedule Schedule = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), TimeSpan.FromHours(24));

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(8, 256)]
    [InlineData(9, 300)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void Ceiling_DoublesPerFailure_UpToTheCap(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Schedule.Ceiling(failures));

    [Fact]
    public void Delay_ForAnyFailureCountAndDraw_LiesInZeroToTheCeiling() =>
        Gen.Select(Gen.Int[1, 100_000], Gen.Double[0, 0.9999999]).Sample((failures, unit) =>
        {
            var delay = Schedule.Delay(failures, unit);
            return delay >= TimeSpan.Zero && delay < Schedule.Ceiling(failures) && delay <= Schedule.Cap;
        });

    [Fact]
    public void Delay_IsFullJitter_TheDrawScalesTheWholeCeiling()
    {
        Assert.Equal(TimeSpan.Zero, Schedule.Delay(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(4), Schedule.Delay(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(150), Schedule.Delay(50, 0.5));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Delay_WithADrawOutsideTheUnitInterval_IsRefused(double unit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Delay(1, unit));

    [Fact]
    public void NextAttempt_InsideTheWindow_IsNowPlusTheDelay()
    {
        var now = Written.AddMinutes(10);
        Assert.Equal(now.AddSeconds(4), Schedule.NextAttempt(3, Written, now, 0.5));
    }

    [Fact]
    public void NextAttempt_NearTheWindowsEnd_IsClampedToTheDeadline()
    {
        var now = Written.AddHours(24).AddSeconds(-30);
        Assert.Equal(Written.AddHours(24), Schedule.NextAttempt(20, Written, now, 0.99));
    }

    [Fact]
    public void NextAttempt_AtOrAfterTheDeadline_IsNone_TheNotificationIsDeadLettered()
    {
        Assert.Null(Schedule.NextAttempt(1, Written, Written.AddHours(24), 0));
        Assert.Null(Schedule.NextAttempt(1, Written, Written.AddDays(3), 0));
    }

    [Fact]
    public void NextAttempt_ForAnyFailureInTheWindow_NeverLeavesTheWindow() =>
        Gen.Select(Gen.Int[1, 10_000], Gen.Long[0, TimeSpan.FromHours(24).Ticks - 1], Gen.Double[0, 0.9999999]).Sample((failures, elapsed, unit) =>
        {
            var now = Written.AddTicks(elapsed);
            var next = Schedule.NextAttempt(failures, Written, now, unit);
            return next is { } at && at >= now && at <= Schedule.Deadline(Written) && at - now <= Schedule.Cap;
        });

    [Fact]
    public void Attempts_OverADayWithTheDefaults_AreBoundedByTheCap()
    {
        // The worst case for a partner down all day: every delay at its ceiling still leaves a try at least every 5 minutes.
        var now = Written;
        var failures = 0;
        DateTimeOffset? next = Written;
        while (next is { } at)
        {
            Assert.True(at - now <= Schedule.Cap);
            now = at;
            failures++;
            next = Schedule.NextAttempt(failures, Written, now, 0.9999999);
        }
        Assert.Equal(Written.AddHours(24), now);
        Assert.InRange(failures, 24 * 60 / 5, 24 * 60 / 5 + 12);
    }

    [Fact]
    public void Defer_WithoutCountingAFailure_WaitsAndStaysInTheWindow()
    {
        Assert.Equal(Written.AddSeconds(30), Schedule.Defer(Written, Written, TimeSpan.FromSeconds(30)));
        Assert.Equal(Written.AddHours(24), Schedule.Defer(Written, Written.AddHours(24).AddSeconds(-1), TimeSpan.FromSeconds(30)));
        Assert.Null(Schedule.Defer(Written, Written.AddHours(25), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Constructor_WithACapBelowTheBase_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrySchedule(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));

    [Fact]
    public void Options_ByDefault_RetryForADayWithinFiveMinuteCeilings()
    {
        var options = new NotificationOptions();
        options.Validate();
        Assert.Equal(TimeSpan.FromHours(24), options.Schedule().Window);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Schedule().Cap);
        Assert.Null(options.MaxAttempts);
    }

    [Fact]
    public void Options_WithALeaseShorterThanTwoAttempts_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new NotificationOptions { LeaseDuration = TimeSpan.FromSeconds(15), AttemptTimeout = TimeSpan.FromSeconds(10) }.Validate());
}
