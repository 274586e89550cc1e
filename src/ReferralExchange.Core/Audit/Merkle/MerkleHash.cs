using System.Security.Cryptography;

namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>
/// The hashes of an RFC 9162 §2.1.1 Merkle Tree Hash with SHA-256. The one-byte prefixes keep a
/// leaf from ever hashing like an interior node (second-preimage resistance, RFC 9162 §2.1.1).
/// </summary>
public static class MerkleHash
{
    public const int Size = 32;
    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>MTH({}) = SHA-256() : the root of the empty tree.</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>MTH({d}) = SHA-256(0x00 || d).</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData([LeafPrefix]);
        hash.AppendData(data);
        return hash.GetHashAndReset();
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }
}
