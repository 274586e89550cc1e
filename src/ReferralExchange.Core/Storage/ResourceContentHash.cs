using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ReferralExchange.Core.Storage;

/// <summary>
/// The SHA-256 of a stored resource version, over the exact bytes kept (the UTF-8 of its JSON),
/// as upper-case hex like the audit chain's hashes. It is written beside the version and into the
/// audit record of the write (issue 12, point 6; ADR 0012), so a version edited afterwards is
/// recognised on read and by <c>rx audit verify --resources</c>.
/// </summary>
public static class ResourceContentHash
{
    public static string Of(string json)
    {
        var length = Encoding.UTF8.GetMaxByteCount(json.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(json, buffer);
            return Of(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string Of(ReadOnlySpan<byte> utf8Json)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8Json, digest);
        return Convert.ToHexString(digest);
    }

    /// <summary>Whether these stored bytes are the ones that were hashed when the version was written.</summary>
    public static bool Matches(string json, string? expected) =>
        expected is not null && string.Equals(Of(json), expected, StringComparison.Ordinal);
}
