namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// A signed tree head: the C2SP checkpoint <see cref="Note"/> over (tree size = <see cref="Sequence"/>,
/// <see cref="RootHash"/>), signed by a key outside the database; <see cref="HeadHash"/> is the chain
/// head at that record (checked by verification, not signed). Rows from before ADR 0011 have no note:
/// their <see cref="Signature"/> covers the chain head (ADR 0003) and they are verified as such.
/// </summary>
public sealed class AuditCheckpointRow
{
    public long Sequence { get; set; }
    public required string HeadHash { get; set; }
    public long SignedAtTicks { get; set; }
    public required string KeyId { get; set; }
    public required byte[] Signature { get; set; }
    /// <summary>Base64 RFC 9162 root of the first <see cref="Sequence"/> records; null on legacy rows.</summary>
    public string? RootHash { get; set; }
    /// <summary>The signed note exactly as signed and served; null on legacy rows.</summary>
    public string? Note { get; set; }
}
