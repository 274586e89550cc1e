using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// Delivers notifications at least once and in order per subscription (ADR 0014): it claims runs of
/// leased rows, sends each run oldest first and stops it at the first failure, so a later event never
/// overtakes an earlier one still being retried (Backport IG event numbers are per subscription). A
/// failure is rescheduled on the row (<see cref="RetrySchedule"/>) until the retry window is spent,
/// then dead-lettered. Consent is asked at send time: a notification whose recipient the consent no
/// longer permits is not sent. Each delivery is a disclosure and is audited.
/// </summary>
public sealed class NotificationDispatchService(INotificationStore store, INotificationSender sender, IResourceStore resources,
    IConsentRepository consents, IPartnerDirectory partners, ConsentGate gate, IAuditTrail audit, NotificationOptions options,
    NotificationClock clock, NotificationLeaseOwner owner, TimeProvider time)
{
    private readonly RetrySchedule _schedule = options.Schedule();

    public Task<IReadOnlyList<NotificationRun>> ClaimAsync(CancellationToken ct)
    {
        var now = clock.Now;
        return store.ClaimAsync(owner.Id, now, now + options.LeaseDuration, options.BatchSize, options.RunLength, ct);
    }

    /// <summary>Sends one run in order (callers run several runs in parallel, each in its own scope); returns how many were delivered.</summary>
    public async Task<int> DeliverAsync(NotificationRun run, CancellationToken ct)
    {
        var delivered = 0;
        for (var i = 0; i < run.Notifications.Count; i++)
        {
            // An attempt that could outlast the lease would let another process send the same row meanwhile.
            var stop = clock.Now + options.AttemptTimeout > run.LeaseUntil;
            var result = stop ? Result.Stopped : await DispatchAsync(run.Notifications[i], ct);
            if (result == Result.Delivered) delivered++;
            if (result == Result.Stopped)
            {
                // Order per subscription: what is behind an undelivered notification waits for it.
                var rest = run.Notifications.Skip(i + (stop ? 0 : 1)).Select(n => n.DeliveryId).ToList();
                if (rest.Count > 0) await store.ReleaseAsync(owner.Id, rest, ct);
                break;
            }
        }
        return delivered;
    }

    private enum Result { Delivered, Skipped, Stopped }

    private async Task<Result> DispatchAsync(PendingNotification n, CancellationToken ct)
    {
        var partner = await partners.FindAsync(n.PartnerId, ct);
        var access = await resources.GetAccessAsync(n.ReferralKey, ct);
        var policies = (await consents.PoliciesAsync([n.ReferralKey], ct)).GetValueOrDefault(n.ReferralKey) ?? [];
        var caller = partner is null ? null : new Caller(partner, "(gateway)", $"notification-{n.DeliveryId}");
        if (caller is null || access is null || !partner!.IsActive || !gate.MaySee(caller, access, n.TaskLabels, policies))
        {
            await store.MarkAsync(owner.Id, n.DeliveryId, NotificationStatus.Suppressed, n.Attempts, null, "consent or partnership no longer permits this recipient", clock.Now, ct);
            return Result.Skipped;
        }
        if (!NotificationOrigin.IsRegistered(partner!, n.Endpoint))
        {
            // The operator removed the endpoint after the Subscription was made: nothing goes there any more.
            await store.MarkAsync(owner.Id, n.DeliveryId, NotificationStatus.Suppressed, n.Attempts, null, "the endpoint is no longer registered for this partner", clock.Now, ct);
            return Result.Skipped;
        }

        var outcome = await sender.SendAsync(n.Endpoint, n.DeliveryId, NotificationPayload.For(n, time.GetUtcNow()), ct);
        var now = clock.Now;
        switch (outcome)
        {
            case SendOutcome.Delivered:
                await audit.RecordAsync(AuditRecord.For(caller, AuditActions.Disclosure, AuditOutcome.Success, time.GetUtcNow()) with
                {
                    PatientId = access.PatientId,
                    Resources = [new AuditedResource($"Task/{n.TaskId}", n.TaskLabels)],
                    Detail = $"rest-hook notification {n.DeliveryId} (id-only)",
                }, ct);
                await store.MarkAsync(owner.Id, n.DeliveryId, NotificationStatus.Delivered, n.Attempts + 1, null, null, now, ct);
                return Result.Delivered;

            case SendOutcome.Unavailable unavailable:
                // No request was made (the circuit is open): no attempt is counted, the window still runs.
                await RescheduleAsync(n, n.Attempts, _schedule.Defer(n.WindowStart, now, unavailable.RetryAfter), unavailable.Error, now, ct);
                return Result.Stopped;

            case SendOutcome.Failed failed:
                var attempts = n.Attempts + 1;
                var next = attempts >= options.MaxAttempts ? null : _schedule.NextAttempt(attempts, n.WindowStart, now, Random.Shared.NextDouble());
                await RescheduleAsync(n, attempts, next, failed.Error, now, ct);
                return Result.Stopped;

            default:
                throw new InvalidOperationException($"unknown send outcome {outcome.GetType().Name}");
        }
    }

    private Task<bool> RescheduleAsync(PendingNotification n, int attempts, DateTimeOffset? next, string error, DateTimeOffset now, CancellationToken ct) =>
        next is null
            ? store.MarkAsync(owner.Id, n.DeliveryId, NotificationStatus.Dead, attempts, null, error, now, ct)
            : store.MarkAsync(owner.Id, n.DeliveryId, NotificationStatus.Pending, attempts, next, error, now, ct);
}
