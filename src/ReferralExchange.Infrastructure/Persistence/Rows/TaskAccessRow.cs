namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// The access index (ADR 0009): one materialised consent decision. The partner, asking for the
/// purpose (or any purpose, "*"), may find the Task from FromTicks until (excluding) UntilTicks.
/// Rebuilt in the same transaction as every change to the Task, its referral or its consents.
/// </summary>
public sealed class TaskAccessRow
{
    public required string TaskId { get; set; }
    /// <summary>The Task's referral: rows are replaced per referral, and a referral's rows travel with it (exports, imports).</summary>
    public required string ReferralKey { get; set; }
    public required string PartnerId { get; set; }
    public required string Purpose { get; set; }
    public long FromTicks { get; set; }
    public long UntilTicks { get; set; }
}
