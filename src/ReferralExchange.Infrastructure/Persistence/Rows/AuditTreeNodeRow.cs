namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// One complete subtree of the audit log's Merkle tree (ADR 0011): level 0 rows are the leaf hashes
/// (record n is leaf n - 1), level L row i covers leaves [i·2^L, (i+1)·2^L). Written in the same
/// transaction as the record that completes it, never changed: insert-only like the audit table.
/// </summary>
public sealed class AuditTreeNodeRow
{
    public int Level { get; set; }
    public long NodeIndex { get; set; }
    public required byte[] Hash { get; set; }
}
