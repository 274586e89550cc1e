using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Notifications;

/// <summary>
/// What a partner wants to hear about, in the style of the R5 Subscriptions Backport IG for R4
/// (criteria on Task): its referrals as owner or as requester, optionally only some statuses.
/// A partner may only subscribe to referrals it takes part in.
/// </summary>
public sealed record SubscriptionFilter(string? OwnerId, string? RequesterId, IReadOnlyList<string> Statuses)
{
    public static SubscriptionFilter Parse(string criteria, string partnerId)
    {
        if (!criteria.StartsWith("Task?", StringComparison.Ordinal))
        {
            throw GatewayException.Invalid("criteria must be a Task search: Task?owner=…, Task?requester=… (optionally &status=…)", "Subscription.criteria");
        }
        string? owner = null, requester = null;
        var statuses = new List<string>();
        foreach (var pair in criteria[5..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            var id = value.StartsWith("Organization/", StringComparison.Ordinal) ? value["Organization/".Length..] : value;
            switch (parts[0])
            {
                case "owner": owner = id; break;
                case "requester": requester = id; break;
                case "status": statuses.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                default: throw GatewayException.Invalid($"criteria parameter '{parts[0]}' is not supported (owner, requester, status)", "Subscription.criteria");
            }
        }
        if ((owner is null) == (requester is null))
        {
            throw GatewayException.Invalid("criteria must name exactly one of owner or requester", "Subscription.criteria");
        }
        if ((owner ?? requester) != partnerId)
        {
            throw new GatewayException(ErrorKind.Forbidden, "forbidden", "A partner may only subscribe to its own referrals", "Subscription.criteria");
        }
        return new SubscriptionFilter(owner, requester, statuses);
    }

    public string ToCriteria() =>
        (OwnerId is not null ? $"Task?owner=Organization/{OwnerId}" : $"Task?requester=Organization/{RequesterId}")
        + (Statuses.Count > 0 ? "&status=" + string.Join(',', Statuses) : string.Empty);
}
