using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Task search as a searchset Bundle (FHIR R4 §3.1.1): the store filters to the caller's visible
/// Tasks before counting, so <c>total</c> and the paging links describe only what the caller may see.
/// Included ServiceRequests pass the same access check.
/// </summary>
public sealed class TaskSearchService(IResourceStore store, IAuditTrail audit, TimeProvider time)
{
    /// <returns>The searchset Bundle as FHIR JSON.</returns>
    public async Task<string> SearchAsync(Caller who, IReadOnlyList<KeyValuePair<string, string>> parameters, string baseUrl, CancellationToken ct)
    {
        var caller = who.Partner;
        var query = TaskSearchParser.Parse(parameters);
        var result = await store.SearchTasksAsync(query, caller.Id, ct);
        var canonical = TaskSearchParser.Canonical(parameters);

        var links = new List<(string, string)> { ("self", Link(baseUrl, canonical, query.Offset)) };
        if (query.Count > 0 && query.Offset + result.Matches.Count < result.Total)
        {
            links.Add(("next", Link(baseUrl, canonical, query.Offset + query.Count)));
        }
        if (query.Offset > 0)
        {
            links.Add(("previous", Link(baseUrl, canonical, Math.Max(0, query.Offset - query.Count))));
        }

        var entries = result.Matches.Select(m => (Stored: m, Entry: Entry(baseUrl, m, "match"))).ToList();
        if (query.IncludeFocus)
        {
            entries.AddRange(await FocusIncludesAsync(caller, result.FocusIds, baseUrl, ct));
        }
        // IHE BALP query event, recorded before the results leave.
        await audit.RecordAsync(AuditRecord.For(who, AuditActions.Search, AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = query.PatientId,
            Resources = entries.Select(e => new AuditedResource(e.Stored.VersionedReference, e.Stored.SecurityLabels)).ToList(),
            Detail = "Task?" + canonical,
        }, ct);
        return SearchsetWriter.Write(result.Total, links, entries.Select(e => e.Entry));
    }

    private async Task<IEnumerable<(StoredResource, SearchsetWriter.Entry)>> FocusIncludesAsync(Partner caller, IReadOnlyCollection<string> focusIds, string baseUrl, CancellationToken ct)
    {
        var included = new List<(StoredResource, SearchsetWriter.Entry)>();
        var accessCache = new Dictionary<string, ReferralAccess?>();
        foreach (var stored in await store.ReadManyAsync("ServiceRequest", focusIds, ct))
        {
            ReferralAccess? access = null;
            if (stored.ReferralKey is { } key && !accessCache.TryGetValue(key, out access))
            {
                access = accessCache[key] = await store.GetAccessAsync(key, ct);
            }
            if (AccessPolicy.CanSee(caller, stored.ResourceType, access))
            {
                included.Add((stored, Entry(baseUrl, stored, "include")));
            }
        }
        return included;
    }

    private static SearchsetWriter.Entry Entry(string baseUrl, StoredResource stored, string mode) =>
        new($"{baseUrl}/{stored.ResourceType}/{stored.Id}", stored.Json, mode);

    private static string Link(string baseUrl, string canonical, int offset) =>
        string.IsNullOrEmpty(canonical) ? $"{baseUrl}/Task?_offset={offset}" : $"{baseUrl}/Task?{canonical}&_offset={offset}";
}
