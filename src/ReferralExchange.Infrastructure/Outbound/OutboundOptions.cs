namespace ReferralExchange.Infrastructure.Outbound;

/// <summary>How the gateway calls partners: its client certificate, the anchors it trusts for their servers, timeouts.</summary>
public sealed class OutboundOptions
{
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
