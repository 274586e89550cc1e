namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>The transactional outbox: one row per notification, written with the change it announces.</summary>
public sealed class NotificationRow
{
    /// <summary>The delivery id the receiver de-duplicates on (sent as X-Delivery-Id).</summary>
    public required string DeliveryId { get; set; }
    public long EventNumber { get; set; }
    public required string SubscriptionId { get; set; }
    public required string PartnerId { get; set; }
    public required string TaskId { get; set; }
    public required string ReferralKey { get; set; }
    public string TaskLabels { get; set; } = string.Empty;
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public long NextAttemptTicks { get; set; }
    public long CreatedTicks { get; set; }
    public long? DeliveredTicks { get; set; }
    public string? LastError { get; set; }
    /// <summary>When the retry window opened: the row's creation, or its last re-drive (ADR 0014).</summary>
    public long WindowStartTicks { get; set; }
    /// <summary>The process delivering it now (ADR 0014); null when nobody holds it.</summary>
    public string? LeaseOwner { get; set; }
    /// <summary>When the holder's lease ends; after it another process may take the row over.</summary>
    public long LeaseExpiresTicks { get; set; }
}
