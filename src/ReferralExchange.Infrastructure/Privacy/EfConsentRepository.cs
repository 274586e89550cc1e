using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
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
        var heads = (await HeadsAsync(referralKeys, ct))
            .Where(h => h.ResourceType == "Consent" && h.ReferralKey is not null)
            .ToList();

        // The policies of this call are held here: the shared cache may evict an entry at any time.
        var policies = new Dictionary<(string, int), ConsentPolicy>();
        var missing = new List<string>();
        foreach (var head in heads)
        {
            if (cache.TryGet(head.ResourceId, head.CurrentVersion, out var cached)) policies[(head.ResourceId, head.CurrentVersion)] = cached;
            else missing.Add(head.ResourceId);
        }
        if (missing.Count > 0)
        {
            // Only the current versions, looked up by key: filling a cold cache is linear in the consents asked for.
            var versions = (await (
                    from h in db.ResourceHeads.AsNoTracking()
                    join v in db.ResourceVersions.AsNoTracking()
                        on new { h.ResourceType, h.ResourceId, VersionId = h.CurrentVersion } equals new { v.ResourceType, v.ResourceId, v.VersionId }
                    where h.ResourceType == "Consent" && missing.Contains(h.ResourceId)
                    select new { v.ResourceId, v.VersionId, v.Json, v.ContentHash })
                .ToListAsync(ct))
                .ToDictionary(v => (v.ResourceId, v.VersionId));
            foreach (var head in heads.Where(h => !policies.ContainsKey((h.ResourceId, h.CurrentVersion))))
            {
                var version = versions[(head.ResourceId, head.CurrentVersion)];
                // A consent decision must not rest on an edited Consent (ADR 0012): checked before it is parsed and cached.
                VersionIntegrity.Check("Consent", version.ResourceId, version.VersionId, version.Json, version.ContentHash);
                var policy = ConsentPolicyReader.Read((Hl7.Fhir.Model.Consent)FhirJson.ParseStored(version.Json));
                policies[(head.ResourceId, head.CurrentVersion)] = policy;
                cache.Add(head.ResourceId, head.CurrentVersion, policy);
            }
        }

        return heads.GroupBy(h => h.ReferralKey!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ConsentPolicy>)g.Select(h => policies[(h.ResourceId, h.CurrentVersion)]).ToList());
    }

    private sealed record ReferralHead(string ResourceType, string ResourceId, int CurrentVersion, string? ReferralKey);

    // A read asks for one referral: compiled once (ADR 0027), where the list form is looked up in EF's query cache each time.
    private static readonly CompiledPerModel<Func<GatewayDbContext, string, IAsyncEnumerable<ReferralHead>>> HeadsOfReferral = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string key) => db.ResourceHeads.AsNoTracking()
            .Where(h => h.ReferralKey == key)
            .Select(h => new ReferralHead(h.ResourceType, h.ResourceId, h.CurrentVersion, h.ReferralKey))));

    /// <summary>
    /// Every head of the referrals, of every type: by referral key alone, the type filtered by the
    /// caller. With "ResourceType = 'Consent'" in the SQL, SQLite's planner prefers the primary key's
    /// type prefix and walks every Consent ever stored (issue 11: 200–700 ms at a million referrals)
    /// instead of the referral-key index.
    /// </summary>
    private async Task<List<ReferralHead>> HeadsAsync(IReadOnlyCollection<string> referralKeys, CancellationToken ct)
    {
        if (referralKeys.Count == 1)
        {
            var heads = new List<ReferralHead>();
            await foreach (var head in HeadsOfReferral.For(db)(db, referralKeys.First()).WithCancellation(ct))
            {
                heads.Add(head);
            }
            return heads;
        }
        var all = new List<ReferralHead>();
        await foreach (var head in HeadsOfReferrals.For(db)(db, referralKeys.ToArray()).WithCancellation(ct))
        {
            all.Add(head);
        }
        return all;
    }

    // A search page asks for its twenty referrals at once: compiled too, so only the IN list's parameters change per call.
    private static readonly CompiledPerModel<Func<GatewayDbContext, string[], IAsyncEnumerable<ReferralHead>>> HeadsOfReferrals = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string[] keys) => db.ResourceHeads.AsNoTracking()
            .Where(h => keys.Contains(h.ReferralKey!))
            .Select(h => new ReferralHead(h.ResourceType, h.ResourceId, h.CurrentVersion, h.ReferralKey))));
}

/// <summary>
/// Parsed consent versions, shared across requests (versions are immutable). Bounded: every
/// referral brings a Consent, so a cache of every version ever read grows with the gateway's
/// history (the 100-minute soak of issue 13 saw the managed heap creep by about 1 KB per new
/// referral). The shared cache keeps at most <c>Gateway:ConsentCacheEntries</c> versions and evicts
/// the least recently used (Microsoft.Extensions.Caching.Memory with a size limit); a miss costs one
/// indexed read and a parse. The open referrals a partner works on stay warm.
/// </summary>
public sealed class ConsentPolicyCache : IDisposable
{
    public const int DefaultEntries = 20_000;

    private readonly MemoryCache? _shared;
    private readonly ConcurrentDictionary<(string, int), ConsentPolicy>? _uncommitted;
    private readonly ConsentPolicyCache? _committed;

    public ConsentPolicyCache() : this(DefaultEntries)
    {
    }

    public ConsentPolicyCache(int entries) =>
        _shared = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, entries) });

    private ConsentPolicyCache(ConsentPolicyCache committed)
    {
        _committed = committed;
        _uncommitted = new();
    }

    /// <summary>
    /// A cache for readers inside a write transaction: it reads through to this one but keeps what
    /// it parses to itself, so a version that is rolled back never reaches the shared cache (where
    /// a later, different version with the same number would be shadowed by it). It lives as long
    /// as the transaction, so it need not be bounded.
    /// </summary>
    public ConsentPolicyCache ForUncommittedReads() => new(this);

    /// <summary>Versions held by the shared cache now (evictions run in the background).</summary>
    public int Count => _shared?.Count ?? _uncommitted!.Count;

    public bool TryGet(string id, int version, [NotNullWhen(true)] out ConsentPolicy? policy)
    {
        if (_shared is not null) return _shared.TryGetValue((id, version), out policy) && policy is not null;
        return _uncommitted!.TryGetValue((id, version), out policy) || _committed!.TryGet(id, version, out policy);
    }

    public void Add(string id, int version, ConsentPolicy policy)
    {
        if (_shared is not null) _shared.Set((id, version), policy, new MemoryCacheEntryOptions { Size = 1 });
        else _uncommitted![(id, version)] = policy;
    }

    public void Dispose() => _shared?.Dispose();
}
