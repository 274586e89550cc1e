using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Notifications;

/// <summary>Partners subscribe to changes of their referrals (R4 Subscription, rest-hook, id-only payloads).</summary>
public sealed class SubscriptionService(INotificationStore store, ProfileValidator validator, TimeProvider time)
{
    public async Task<Subscription> CreateAsync(Caller caller, Subscription subscription, CancellationToken ct)
    {
        // Base R4 first (status, reason, criteria and channel are required; no unknown modifiers).
        await validator.EnsureValidAsync(subscription, ct);
        if (subscription.Channel?.Type != Subscription.SubscriptionChannelType.RestHook)
            throw GatewayException.Invalid("Only rest-hook channels are supported", "Subscription.channel.type");
        if (!Uri.TryCreate(subscription.Channel.Endpoint, UriKind.Absolute, out var endpoint) || NotificationOrigin.Of(endpoint) is null)
            throw GatewayException.Invalid("The endpoint must be an absolute https URL without user info (notifications travel over mutual TLS)", "Subscription.channel.endpoint");
        var filter = SubscriptionFilter.Parse(subscription.Criteria ?? string.Empty, caller.Partner.Id);
        // Only origins the operator registered for this partner (rx partner endpoints add): a
        // Subscription must not turn the gateway into a client of any address the partner names.
        if (!NotificationOrigin.IsRegistered(caller.Partner, endpoint))
            throw GatewayException.Invalid("The endpoint is not one of this partner's registered notification endpoints", "Subscription.channel.endpoint");

        var stored = await store.AddSubscriptionAsync(new StoredSubscription(ReferralTranslator.NewId(), caller.Partner.Id, filter, endpoint, "active", time.GetUtcNow()), ct);
        return ToFhir(stored);
    }

    public async Task<Subscription> ReadAsync(Caller caller, string id, CancellationToken ct)
    {
        var stored = await store.GetSubscriptionAsync(id, ct);
        return stored is not null && stored.PartnerId == caller.Partner.Id ? ToFhir(stored) : throw GatewayException.NotFound("Subscription", id);
    }

    private static Subscription ToFhir(StoredSubscription s) => new()
    {
        Id = s.Id,
        Status = Subscription.SubscriptionStatus.Active,
        Reason = "Referral changes",
        Criteria = s.Filter.ToCriteria(),
        Channel = new Subscription.ChannelComponent
        {
            Type = Subscription.SubscriptionChannelType.RestHook,
            Endpoint = s.Endpoint.ToString(),
            Payload = "application/fhir+json",
            // Backport IG: id-only payloads; the partner reads the Task through the API, where consent applies.
            PayloadElement = new Code("application/fhir+json")
            {
                Extension = [new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content", new Code("id-only"))],
            },
        },
    };
}
