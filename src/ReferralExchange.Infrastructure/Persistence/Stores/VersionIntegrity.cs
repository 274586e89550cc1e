using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// The per-read half of resource coverage (ADR 0012): every version is written with the SHA-256 of
/// its bytes (also in the write's audit record), and every read compares the bytes it loaded with
/// it. One hash over bytes already in memory costs microseconds, so it runs on every read rather
/// than in the background: an edited row is never served, not even once.
/// </summary>
internal static class VersionIntegrity
{
    /// <summary>Sets the row's content hash from its JSON; call after the JSON is final.</summary>
    public static ResourceVersionRow Sealed(ResourceVersionRow row)
    {
        row.ContentHash = ResourceContentHash.Of(row.Json);
        return row;
    }

    /// <exception cref="GatewayException">IntegrityFailure when the bytes are not the ones written, or carry no hash.</exception>
    public static void Check(string type, string id, int version, string json, string? contentHash)
    {
        // A version without a hash was not written by this gateway (or predates coverage: ADR 0012,
        // "Upgrading"); fail closed rather than serve it.
        if (!ResourceContentHash.Matches(json, contentHash))
        {
            throw GatewayException.IntegrityFailure($"{type}/{id}/_history/{version}");
        }
    }

    public static void Check(ResourceVersionRow row) => Check(row.ResourceType, row.ResourceId, row.VersionId, row.Json, row.ContentHash);
}
