using System.Security.Cryptography;
using System.Text;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// The hash chain: each record's hash is SHA-256 over its canonical form, which embeds the hash
/// of the record before it. Editing, deleting, inserting or reordering any record changes a hash
/// that a later record (or a signed checkpoint) has already committed to.
/// </summary>
public static class AuditChain
{
    /// <summary>The predecessor of the first record.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Hash(ReadOnlySpan<byte> canonicalPayload) => Convert.ToHexString(SHA256.HashData(canonicalPayload));

    /// <summary>The digest a checkpoint signature covers: the chain head and when and by which key it was signed.</summary>
    public static byte[] CheckpointDigest(long sequence, string headHash, DateTimeOffset signedAt, string keyId) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(
            $"rx-audit-checkpoint|v1|{sequence}|{headHash}|{signedAt.UtcTicks}|{keyId}"));
}
