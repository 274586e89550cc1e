using System.Globalization;
using System.Text.Json.Nodes;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// An id-only notification Bundle (Subscriptions Backport IG for R4, "id-only" payload content): the
/// SubscriptionStatus-style Parameters with the event number and the focus reference, no resource content.
/// </summary>
public static class NotificationPayload
{
    public static string For(PendingNotification n, DateTimeOffset timestamp) => new JsonObject
    {
        ["resourceType"] = "Bundle",
        ["type"] = "history",
        ["timestamp"] = timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
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
                            new JsonObject { ["name"] = "event-number", ["valueString"] = n.EventNumber.ToString(CultureInfo.InvariantCulture) },
                            new JsonObject { ["name"] = "focus", ["valueReference"] = new JsonObject { ["reference"] = $"Task/{n.TaskId}" } }),
                    }),
            },
            ["request"] = new JsonObject { ["method"] = "GET", ["url"] = $"Subscription/{n.SubscriptionId}/$status" },
            ["response"] = new JsonObject { ["status"] = "200" },
        }),
    }.ToJsonString();
}
