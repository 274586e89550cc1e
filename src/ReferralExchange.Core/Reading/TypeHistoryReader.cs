using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Reading;

/// <summary>
/// Type-level history (FHIR R4 http.html#history, <c>GET [type]/_history</c>): every version of the
/// type's resources the caller may see, newest first, with <c>_since</c> and <c>_count</c>. What is
/// visible is decided as for search (referral-level access through the access index, then the access
/// policy and the consent gate per version, <see cref="SearchDisclosure"/>). Versions never change,
/// so a walk fixed at its first page's snapshot is exact: nothing skipped, nothing repeated.
/// </summary>
public sealed class TypeHistoryReader(IResourceStore store, ConsentGate gate, SearchDisclosure disclosure, SearchCursorSigner cursors, TimeProvider time)
{
    public async Task<(Bundle Bundle, bool Part2)> HistoryAsync(Caller caller, string type, IReadOnlyList<KeyValuePair<string, string>> parameters,
        bool strict, string baseUrl, CancellationToken ct)
    {
        ResourceReader.EnsureKnownType(type);
        var history = HistoryParameters.Parse(parameters, strict);
        var now = time.GetUtcNow();
        var path = $"{type}/_history";
        var binding = SearchLinks.Binding(caller, path, history.Applied);
        var after = history.CursorToken is { } token ? cursors.Open(token, binding, now) : null;
        var snapshot = after?.SnapshotTicks ?? SearchSnapshot.At(now);
        var query = new TypeHistoryQuery(type, history.Since?.UtcTicks, history.Count, snapshot, after is null ? null : Position(after));

        var page = await store.TypeHistoryAsync(query, caller.Partner.Id, gate.PurposeOf(caller), now, ct);
        var results = await disclosure.BeginAsync(caller, baseUrl, page.Items.Select(i => i.Access?.ReferralKey).OfType<string>().ToList(), ct);
        foreach (var item in page.Items)
        {
            disclosure.Add(results, item.Access, item.Version, "match", ResultSubset.None);
        }
        var canonical = SearchLinks.Canonical(history.Applied);
        string? next = null;
        if (page.HasMore && page.Items.Count > 0)
        {
            var last = page.Items[^1].Version;
            next = SearchLinks.Link(baseUrl, path, canonical, cursors.Issue(new SearchCursor(HistoryParameters.NewestFirst, last.LastUpdated.UtcTicks,
                last.LastUpdated.UtcTicks, $"{last.Id}/{last.VersionId}", snapshot), binding));
        }
        await disclosure.RecordAsync(results, AuditActions.History, path + (canonical.Length > 0 ? "?" + canonical : string.Empty), ct);
        var versions = results.Entries.Select(e => e.Stored with { Json = e.Json });
        return (HistoryBundle.Build(baseUrl, versions, null, SearchLinks.Link(baseUrl, path, canonical, history.CursorToken), next), results.Part2);
    }

    private static TypeHistoryPosition Position(SearchCursor cursor)
    {
        var slash = cursor.Id.LastIndexOf('/');
        return slash > 0 && int.TryParse(cursor.Id.AsSpan(slash + 1), out var version)
            ? new TypeHistoryPosition(cursor.LastUpdatedTicks, cursor.Id[..slash], version)
            : throw SearchValues.Bad("_cursor", "not a history cursor");
    }
}

/// <summary>A page of type history: versions at or before the snapshot, newest first, after a position.</summary>
public sealed record TypeHistoryQuery(string ResourceType, long? SinceTicks, int Count, long SnapshotTicks, TypeHistoryPosition? After);

/// <summary>A version's place in the newest-first order: (lastUpdated, resource id, version id), all descending.</summary>
public sealed record TypeHistoryPosition(long LastUpdatedTicks, string ResourceId, int VersionId);

/// <summary>One version the caller's referral-level access admits, with its referral's participants (null for directory data).</summary>
public sealed record VisibleVersion(StoredResource Version, ReferralAccess? Access);

public sealed record VersionPage(IReadOnlyList<VisibleVersion> Items, bool HasMore);
