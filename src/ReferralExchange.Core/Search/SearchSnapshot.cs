namespace ReferralExchange.Core.Search;

/// <summary>
/// The instant a walk is a snapshot of (ADR 0018). Stored lastUpdated values are whole milliseconds;
/// the snapshot is the last whole millisecond before now, so a change stamped in the current
/// millisecond is after it, and <c>_lastUpdated=gt{snapshot}</c> finds exactly what the walk left out.
/// </summary>
public static class SearchSnapshot
{
    public static long At(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        return ticks - ticks % TimeSpan.TicksPerMillisecond - TimeSpan.TicksPerMillisecond;
    }

    public static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);
}
