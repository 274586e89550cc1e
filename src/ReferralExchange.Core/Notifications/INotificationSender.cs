namespace ReferralExchange.Core.Notifications;

/// <summary>Sends one notification to a partner's endpoint over outbound mutual TLS.</summary>
public interface INotificationSender
{
    /// <summary>One attempt; the same <paramref name="deliveryId"/> on every retry, so the receiver can de-duplicate.</summary>
    Task<SendOutcome> SendAsync(Uri endpoint, string deliveryId, string payloadJson, CancellationToken cancellationToken = default);
}
