using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Task search as a searchset Bundle (FHIR R4 search.html). Who may see which Task, for which purpose,
/// is the access index (<see cref="TaskAccessGrants"/>, ADR 0009): the database filters, counts, sorts
/// and pages by it with a keyset, so a page costs the same however much is stored, and <c>total</c>,
/// pages and links describe only what the caller may see. Page entries and included resources still
/// pass through the consent gate (<see cref="SearchDisclosure"/>), and every decision is audited.
/// <para>
/// Paging is a snapshot walk (ADR 0018): the first page fixes an instant; every page of the walk
/// holds only Tasks last changed at or before it, in the chosen order after the cursor. So a walk
/// never repeats a Task and never skips one that stayed unchanged; a Task changed during the walk
/// leaves it (it is no longer what the snapshot saw) and is found by the next poll with
/// <c>_lastUpdated=gt{Bundle.meta.lastUpdated}</c>.
/// </para>
/// </summary>
public sealed class TaskSearchService(IResourceStore store, ConsentGate gate, SearchDisclosure disclosure, TaskIncludes includes,
    SearchCursorSigner cursors, TimeProvider time)
{
    /// <returns>The searchset Bundle as FHIR JSON, and whether it discloses Part 2 data.</returns>
    public async Task<(string Json, bool Part2)> SearchAsync(Caller who, IReadOnlyList<KeyValuePair<string, string>> parameters, bool strict,
        string baseUrl, CancellationToken ct)
    {
        var query = TaskSearchParser.Parse(parameters, strict);
        var now = time.GetUtcNow();
        var binding = SearchLinks.Binding(who, "Task", query.Common.Applied);
        var after = query.Common.CursorToken is { } token ? cursors.Open(token, binding, now) : null;
        var snapshot = after?.SnapshotTicks ?? SearchSnapshot.At(now);
        query = query with { After = after, SnapshotTicks = snapshot };

        var result = await store.SearchTasksAsync(query, who.Partner.Id, gate.PurposeOf(who), now, ct);
        var page = result.Items;
        var canonical = SearchLinks.Canonical(query.Common.Applied);
        var links = new List<(string, string)> { ("self", SearchLinks.Link(baseUrl, "Task", canonical, query.Common.CursorToken)) };
        if (result.HasMore && result.Last is { } last)
        {
            var next = new SearchCursor(query.Common.Sort, last.Value, last.LastUpdatedTicks, last.Id, snapshot);
            links.Add(("next", SearchLinks.Link(baseUrl, "Task", canonical, cursors.Issue(next, binding))));
        }

        var results = await disclosure.BeginAsync(who, baseUrl, page.Select(c => c.ReferralKey).ToList(), ct);
        foreach (var candidate in page)
        {
            // If the gate ever refuses what the index admitted, the entry is left out (never the reverse).
            disclosure.Add(results, candidate.Access, candidate.Current, "match", query.Common.Subset);
        }
        await includes.AddAsync(query, page, results, ct);

        await disclosure.RecordAsync(results, AuditActions.Search, "Task?" + canonical, ct);
        return (SearchsetWriter.Write(result.Total, links, results.Entries.Select(e => e.Entry(baseUrl)), SearchSnapshot.Instant(snapshot)), results.Part2);
    }
}
