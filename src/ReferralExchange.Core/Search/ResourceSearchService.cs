using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Search on ServiceRequest, Patient, Consent and Procedure (FHIR R4 search.html) among what the
/// caller may see: the resources of referrals it takes part in (ADR 0002), found through the access
/// index at referral level (ADR 0009: a referral the caller may find a Task of, for the purpose it
/// asserts, now), and of those only the types <see cref="Access.AccessPolicy"/> lets it see (a partner
/// that may claim an open referral sees its ServiceRequest, not the person's record). Each entry
/// then passes the consent gate. Paging is the same snapshot keyset walk as Task search (ADR 0018).
/// </summary>
public sealed class ResourceSearchService(IResourceStore store, ConsentGate gate, SearchDisclosure disclosure, TaskIncludes includes,
    SearchCursorSigner cursors, TimeProvider time)
{
    public async Task<(string Json, bool Part2)> SearchAsync(Caller who, string type, IReadOnlyList<KeyValuePair<string, string>> parameters, bool strict,
        string baseUrl, CancellationToken ct)
    {
        var query = ResourceSearchParser.Parse(type, parameters, strict);
        var now = time.GetUtcNow();
        var binding = SearchLinks.Binding(who, type, query.Common.Applied);
        var after = query.Common.CursorToken is { } token ? cursors.Open(token, binding, now) : null;
        var snapshot = after?.SnapshotTicks ?? SearchSnapshot.At(now);
        query = query with { After = after, SnapshotTicks = snapshot };

        var result = await store.SearchReferralResourcesAsync(query, who.Partner.Id, gate.PurposeOf(who), now, ct);
        var canonical = SearchLinks.Canonical(query.Common.Applied);
        var links = new List<(string, string)> { ("self", SearchLinks.Link(baseUrl, type, canonical, query.Common.CursorToken)) };
        if (result.HasMore && result.Last is { } last)
        {
            var next = new SearchCursor(query.Common.Sort, last.Value, last.LastUpdatedTicks, last.Id, snapshot);
            links.Add(("next", SearchLinks.Link(baseUrl, type, canonical, cursors.Issue(next, binding))));
        }

        var results = await disclosure.BeginAsync(who, baseUrl, result.Items.Select(c => c.ReferralKey).ToList(), ct);
        var stored = (await store.ReadManyAsync(type, result.Items.Select(i => i.Id).ToList(), ct)).ToDictionary(s => s.Id);
        foreach (var candidate in result.Items)
        {
            if (stored.TryGetValue(candidate.Id, out var resource))
            {
                disclosure.Add(results, candidate.Access, resource, "match", query.Common.Subset);
            }
        }
        if (query.RevIncludeProcedures)
        {
            var access = result.Items.GroupBy(c => c.ReferralKey).ToDictionary(g => g.Key, g => g.First().Access);
            await includes.AddProceduresAsync(result.Items.Select(i => (i.ReferralKey, i.Id)).ToList(), access, results,
                query.Common.Subset with { Elements = [] }, ct);
        }

        await disclosure.RecordAsync(results, AuditActions.Search, $"{type}?" + canonical, ct);
        return (SearchsetWriter.Write(result.Total, links, results.Entries.Select(e => e.Entry(baseUrl)), SearchSnapshot.Instant(snapshot)), results.Part2);
    }
}
