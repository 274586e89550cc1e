using Hl7.Fhir.Model;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Task search as a searchset Bundle (FHIR R4 §3.1.1): the store filters to the caller's visible
/// Tasks before counting, so <c>total</c> and the paging links describe only what the caller may see.
/// Included ServiceRequests pass the same access check.
/// </summary>
public sealed class TaskSearchService(IResourceStore store)
{
    public async Task<Bundle> SearchAsync(Partner caller, IReadOnlyList<KeyValuePair<string, string>> parameters, string baseUrl, CancellationToken ct)
    {
        var query = TaskSearchParser.Parse(parameters);
        var result = await store.SearchTasksAsync(query, caller.Id, ct);
        var canonical = TaskSearchParser.Canonical(parameters);

        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Total = result.Total };
        bundle.Link.Add(Link("self", baseUrl, canonical, query.Offset));
        if (query.Offset + result.Matches.Count < result.Total && query.Count > 0)
        {
            bundle.Link.Add(Link("next", baseUrl, canonical, query.Offset + query.Count));
        }
        if (query.Offset > 0)
        {
            bundle.Link.Add(Link("previous", baseUrl, canonical, Math.Max(0, query.Offset - query.Count)));
        }

        var tasks = result.Matches.Select(m => (Stored: m, Task: (Hl7.Fhir.Model.Task)FhirJson.ParseStored(m.Json))).ToList();
        foreach (var (stored, task) in tasks)
        {
            bundle.Entry.Add(Entry(baseUrl, stored, task, Bundle.SearchEntryMode.Match));
        }

        if (query.IncludeFocus)
        {
            await AddFocusIncludesAsync(caller, tasks.Select(t => t.Task), bundle, baseUrl, ct);
        }
        return bundle;
    }

    private async System.Threading.Tasks.Task AddFocusIncludesAsync(Partner caller, IEnumerable<Hl7.Fhir.Model.Task> tasks, Bundle bundle, string baseUrl, CancellationToken ct)
    {
        var ids = tasks
            .Select(t => t.Focus?.Reference)
            .Where(r => r is not null && r.StartsWith("ServiceRequest/", StringComparison.Ordinal))
            .Select(r => r!["ServiceRequest/".Length..])
            .Distinct()
            .ToList();
        var accessCache = new Dictionary<string, ReferralAccess?>();
        foreach (var stored in await store.ReadManyAsync("ServiceRequest", ids, ct))
        {
            if (stored.ReferralKey is { } key && !accessCache.ContainsKey(key))
            {
                accessCache[key] = await store.GetAccessAsync(key, ct);
            }
            var access = stored.ReferralKey is null ? null : accessCache[stored.ReferralKey];
            if (AccessPolicy.CanSee(caller, stored.ResourceType, access))
            {
                bundle.Entry.Add(Entry(baseUrl, stored, FhirJson.ParseStored(stored.Json), Bundle.SearchEntryMode.Include));
            }
        }
    }

    private static Bundle.EntryComponent Entry(string baseUrl, StoredResource stored, Resource resource, Bundle.SearchEntryMode mode) => new()
    {
        FullUrl = $"{baseUrl}/{stored.ResourceType}/{stored.Id}",
        Resource = resource,
        Search = new Bundle.SearchComponent { Mode = mode },
    };

    private static Bundle.LinkComponent Link(string relation, string baseUrl, string canonical, int offset)
    {
        var query = string.IsNullOrEmpty(canonical) ? $"_offset={offset}" : $"{canonical}&_offset={offset}";
        return new Bundle.LinkComponent { Relation = relation, Url = $"{baseUrl}/Task?{query}" };
    }
}
