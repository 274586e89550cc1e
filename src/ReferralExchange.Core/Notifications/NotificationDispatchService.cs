using System.Text.Json.Nodes;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// Delivers due notifications, at least once: id-only payloads (Subscriptions Backport IG), a
/// delivery id the receiver de-duplicates on, retries with exponential backoff and jitter, a
/// dead-letter state after the configured attempts. Consent is asked at send time: a notification
/// whose recipient the consent no longer permits is not sent. Each delivery is a disclosure and is audited.
/// </summary>
public sealed class NotificationDispatchService(INotificationStore store, INotificationSender sender, IResourceStore resources,
    IConsentRepository consents, IPartnerDirectory partners, ConsentGate gate, IAuditTrail audit, NotificationOptions options, TimeProvider time)
{
    public Task<IReadOnlyList<PendingNotification>> DueAsync(CancellationToken ct) => store.DueAsync(time.GetUtcNow(), options.BatchSize, ct);

    /// <summary>Delivers one notification (callers run several in parallel, each in its own scope).</summary>
    public async Task DispatchAsync(PendingNotification n, CancellationToken ct)
    {
        var partner = await partners.FindAsync(n.PartnerId, ct);
        var access = await resources.GetAccessAsync(n.ReferralKey, ct);
        var policies = (await consents.PoliciesAsync([n.ReferralKey], ct)).GetValueOrDefault(n.ReferralKey) ?? [];
        var caller = partner is null ? null : new Caller(partner, "(gateway)", $"notification-{n.DeliveryId}");
        if (caller is null || access is null || !partner!.IsActive || !gate.MaySee(caller, access, n.TaskLabels, policies))
        {
            await store.MarkAsync(n.DeliveryId, NotificationStatus.Suppressed, n.Attempts, null, "consent or partnership no longer permits this recipient", time.GetUtcNow(), ct);
            return;
        }
        if (!NotificationOrigin.IsRegistered(partner!, n.Endpoint))
        {
            // The operator removed the endpoint after the Subscription was made: nothing goes there any more.
            await store.MarkAsync(n.DeliveryId, NotificationStatus.Suppressed, n.Attempts, null, "the endpoint is no longer registered for this partner", time.GetUtcNow(), ct);
            return;
        }

        var attempts = n.Attempts + 1;
        string? error;
        try
        {
            var status = await sender.SendAsync(n.Endpoint, n.DeliveryId, Payload(n), ct);
            if (status is >= 200 and < 300)
            {
                await audit.RecordAsync(AuditRecord.For(caller, AuditActions.Disclosure, AuditOutcome.Success, time.GetUtcNow()) with
                {
                    PatientId = access.PatientId,
                    Resources = [new AuditedResource($"Task/{n.TaskId}", n.TaskLabels)],
                    Detail = $"rest-hook notification {n.DeliveryId} (id-only)",
                }, ct);
                await store.MarkAsync(n.DeliveryId, NotificationStatus.Delivered, attempts, null, null, time.GetUtcNow(), ct);
                return;
            }
            error = $"endpoint answered {status}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException)
        {
            error = e.GetType().Name;
        }

        if (attempts >= options.MaxAttempts)
        {
            await store.MarkAsync(n.DeliveryId, NotificationStatus.Dead, attempts, null, error, time.GetUtcNow(), ct);
            return;
        }
        await store.MarkAsync(n.DeliveryId, NotificationStatus.Pending, attempts, time.GetUtcNow() + Backoff(attempts), error, time.GetUtcNow(), ct);
    }

    /// <summary>Exponential backoff with full jitter in its upper half: base × 2^(attempt−1) × [0.5, 1).</summary>
    private TimeSpan Backoff(int attempts)
    {
        var ceiling = options.RetryBase.TotalMilliseconds * Math.Pow(2, attempts - 1);
        var capped = Math.Min(ceiling, options.RetryMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() / 2));
    }

    /// <summary>An id-only notification Bundle (Subscriptions Backport IG, R4): the status Parameters and the focus reference.</summary>
    private static string Payload(PendingNotification n) => new JsonObject
    {
        ["resourceType"] = "Bundle",
        ["type"] = "history",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        ["entry"] = new JsonArray(new JsonObject
        {
            ["fullUrl"] = $"urn:uuid:{n.DeliveryId}",
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "Parameters",
                ["parameter"] = new JsonArray(
                    new JsonObject { ["name"] = "subscription", ["valueReference"] = new JsonObject { ["reference"] = $"Subscription/{n.SubscriptionId}" } },
                    new JsonObject { ["name"] = "status", ["valueCode"] = "active" },
                    new JsonObject { ["name"] = "type", ["valueCode"] = "event-notification" },
                    new JsonObject
                    {
                        ["name"] = "notification-event",
                        ["part"] = new JsonArray(
                            new JsonObject { ["name"] = "event-number", ["valueString"] = n.EventNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                            new JsonObject { ["name"] = "focus", ["valueReference"] = new JsonObject { ["reference"] = $"Task/{n.TaskId}" } }),
                    }),
            },
            ["request"] = new JsonObject { ["method"] = "GET", ["url"] = $"Subscription/{n.SubscriptionId}/$status" },
            ["response"] = new JsonObject { ["status"] = "200" },
        }),
    }.ToJsonString();
}

public sealed class NotificationOptions
{
    public int MaxAttempts { get; set; } = 6;
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan RetryMax { get; set; } = TimeSpan.FromMinutes(10);
    public int BatchSize { get; set; } = 50;
    /// <summary>Deliveries in flight at once: a slow partner must not hold up everyone else's notifications.</summary>
    public int Parallelism { get; set; } = 8;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
