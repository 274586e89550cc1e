using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Stores;

namespace ReferralExchange.Infrastructure.Privacy;

/// <summary>
/// Reads which Consent versions are current on every call (so a revocation is seen at once) and
/// parses each version once: a version never changes, so the parsed policy is cached by
/// (id, version) and a warm decision costs microseconds.
/// </summary>
public sealed class EfConsentRepository(GatewayDbContext db, ConsentPolicyCache cache) : IConsentRepository
{
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ConsentPolicy>>> PoliciesAsync(IReadOnlyCollection<string> referralKeys, CancellationToken ct)
    {
        if (referralKeys.Count == 0)
        {
            return new Dictionary<string, IReadOnlyList<ConsentPolicy>>();
        }
        var keys = referralKeys.ToList();
        // By referral key alone, the type filtered here: with "ResourceType = 'Consent'" in the SQL,
        // SQLite's planner prefers the primary key's type prefix and walks every Consent ever
        // stored (issue 11: 200–700 ms at a million referrals) instead of the referral-key index.
        var heads = (await db.ResourceHeads.AsNoTracking()
                .Where(h => keys.Contains(h.ReferralKey!))
                .Select(h => new { h.ResourceType, h.ResourceId, h.CurrentVersion, h.ReferralKey })
                .ToListAsync(ct))
            .Where(h => h.ResourceType == "Consent" && h.ReferralKey is not null)
            .ToList();

        var missing = heads.Where(h => !cache.TryGet(h.ResourceId, h.CurrentVersion, out _)).ToList();
        if (missing.Count > 0)
        {
            var ids = missing.Select(m => m.ResourceId).ToList();
            // Only the current versions, looked up by key: filling a cold cache is linear in the consents asked for.
            var versions = (await (
                    from h in db.ResourceHeads.AsNoTracking()
                    join v in db.ResourceVersions.AsNoTracking()
                        on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
                    where h.ResourceType == "Consent" && ids.Contains(h.ResourceId)
                    select new { v.ResourceId, v.VersionId, v.Json, v.ContentHash })
                .ToListAsync(ct))
                .ToDictionary(v => (v.ResourceId, v.VersionId));
            foreach (var head in missing)
            {
                var version = versions[(head.ResourceId, head.CurrentVersion)];
                // A consent decision must not rest on an edited Consent (ADR 0012): checked before it is parsed and cached.
                VersionIntegrity.Check("Consent", version.ResourceId, version.VersionId, version.Json, version.ContentHash);
                cache.Add(head.ResourceId, head.CurrentVersion, ConsentPolicyReader.Read((Hl7.Fhir.Model.Consent)FhirJson.ParseStored(version.Json)));
            }
        }

        return heads.GroupBy(h => h.ReferralKey!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ConsentPolicy>)g.Select(h => cache.Get(h.ResourceId, h.CurrentVersion)).ToList());
    }
}

/// <summary>Parsed consent versions, shared across requests (versions are immutable).</summary>
public sealed class ConsentPolicyCache
{
    private readonly ConcurrentDictionary<(string, int), ConsentPolicy> _policies = new();
    private readonly ConsentPolicyCache? _committed;

    public ConsentPolicyCache()
    {
    }

    private ConsentPolicyCache(ConsentPolicyCache committed) => _committed = committed;

    /// <summary>
    /// A cache for readers inside a write transaction: it reads through to this one but keeps what
    /// it parses to itself, so a version that is rolled back never reaches the shared cache (where
    /// a later, different version with the same number would be shadowed by it).
    /// </summary>
    public ConsentPolicyCache ForUncommittedReads() => new(this);

    public bool TryGet(string id, int version, out ConsentPolicy? policy) =>
        _policies.TryGetValue((id, version), out policy) || (_committed?.TryGet(id, version, out policy) ?? false);

    public ConsentPolicy Get(string id, int version) =>
        TryGet(id, version, out var policy) ? policy! : throw new KeyNotFoundException($"Consent/{id}/_history/{version} is not cached");

    public void Add(string id, int version, ConsentPolicy policy) => _policies[(id, version)] = policy;
}
