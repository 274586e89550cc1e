namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>A client assertion's jti, kept until it expires, so that it is accepted once (RFC 7523 §3, SMART Backend Services).</summary>
public sealed class UsedClientAssertionRow
{
    public required string Key { get; set; }
    public long ExpiresTicks { get; set; }
}
