namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// A named job that one replica at a time may do (ADR 0020): <see cref="Holder"/> holds it until
/// <see cref="ExpiresTicks"/>; after that any replica may take it. Not audit data: it is updated in place.
/// </summary>
public sealed class ServiceLeaseRow
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public long ExpiresTicks { get; set; }
}
