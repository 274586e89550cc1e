namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>A signed chain head: record <see cref="Sequence"/> had <see cref="HeadHash"/>, signed by a key outside the database.</summary>
public sealed class AuditCheckpointRow
{
    public long Sequence { get; set; }
    public required string HeadHash { get; set; }
    public long SignedAtTicks { get; set; }
    public required string KeyId { get; set; }
    public required byte[] Signature { get; set; }
}
