namespace ReferralExchange.Core.Reports;

/// <summary>How long a referral may wait for acceptance, per priority, before it is flagged overdue.</summary>
public sealed class TrackingThresholds
{
    public TimeSpan Stat { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan Asap { get; set; } = TimeSpan.FromHours(4);
    public TimeSpan Urgent { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan Routine { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan For(string? priority) => priority switch
    {
        "stat" => Stat,
        "asap" => Asap,
        "urgent" => Urgent,
        _ => Routine,
    };
}
