using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// Makes the audit records of a write cover every version it wrote, with its content hash (ADR 0012):
/// a record that names nothing names all of them; a record naming a written version gets its hash;
/// a written version that no record names is added to the first record, so none is left uncovered.
/// </summary>
internal static class WrittenVersionCoverage
{
    public static IReadOnlyList<AuditRecord> Cover(IReadOnlyList<AuditRecord> audit, IReadOnlyList<StoredResource> written, IReadOnlyDictionary<string, string> hashes)
    {
        var all = written.Select(s => new AuditedResource(s.VersionedReference, s.SecurityLabels, hashes[s.VersionedReference])).ToList();
        var records = audit.Select(a => a.Resources.Count == 0
                ? a with { Resources = all }
                : a with { Resources = a.Resources.Select(r => hashes.TryGetValue(r.Reference, out var hash) ? r with { ContentHash = hash } : r).ToList() })
            .ToList();
        var covered = records.SelectMany(r => r.Resources).Where(r => r.ContentHash is not null).Select(r => r.Reference).ToHashSet(StringComparer.Ordinal);
        var uncovered = all.Where(r => !covered.Contains(r.Reference)).ToList();
        if (uncovered.Count > 0 && records.Count > 0)
        {
            records[0] = records[0] with { Resources = [.. records[0].Resources, .. uncovered] };
        }
        return records;
    }
}
