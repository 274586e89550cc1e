using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reports;

/// <summary>
/// What the police social worker came for: each referral it sent, its current status, the time
/// spent in each state, whether the service was delivered, and whether it is overdue (not
/// accepted within the time its priority allows). Status only: no clinical content.
/// </summary>
public sealed class ReferralTrackingService(IResourceStore store, TrackingThresholds thresholds, IAuditTrail audit, TimeProvider time)
{
    public sealed record TrackedReferral(string TaskId, string? ServiceRequest, string? Recipient, string? Priority, string Status,
        DateTimeOffset AuthoredOn, bool Delivered, bool Overdue, IReadOnlyDictionary<string, double> HoursInState);

    public async Task<IReadOnlyList<TrackedReferral>> TrackAsync(Caller caller, bool overdueOnly, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var timelines = TaskTimeline.From(await store.TaskHistoriesAsync(caller.Partner.Id, ct));
        var tracked = timelines.Select(t => new TrackedReferral(
                t.TaskId, t.Focus, t.Owner, t.Priority, t.Status, t.AuthoredOn,
                Delivered: t.Status == "completed" && t.HasOutput,
                Overdue: t.FirstReached("accepted") is null && t.Status is "requested" or "draft" && now - t.AuthoredOn > thresholds.For(t.Priority),
                t.TimeInStates(now).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value.TotalHours, 2))))
            .Where(t => !overdueOnly || t.Overdue)
            .OrderBy(t => t.AuthoredOn)
            .ToList();
        await audit.RecordAsync(AuditRecord.For(caller, AuditActions.Search, AuditOutcome.Success, now) with
        {
            Resources = tracked.Select(t => new AuditedResource($"Task/{t.TaskId}", [])).ToList(),
            Detail = "referral tracking",
        }, ct);
        return tracked;
    }
}
