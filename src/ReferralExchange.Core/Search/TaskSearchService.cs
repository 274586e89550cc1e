using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Task search as a searchset Bundle (FHIR R4 §3.1.1). Participation is filtered in the database;
/// consent is then asked for every candidate <em>before</em> counting and paging, so <c>total</c>,
/// the pages and their links describe only what the caller may see. Page entries and included
/// ServiceRequests pass through the consent gate (redaction), and every decision is audited.
/// </summary>
public sealed class TaskSearchService(IResourceStore store, IConsentRepository consents, ConsentGate gate, IAuditTrail audit, TimeProvider time)
{
    /// <returns>The searchset Bundle as FHIR JSON, and whether it discloses Part 2 data.</returns>
    public async Task<(string Json, bool Part2)> SearchAsync(Caller who, IReadOnlyList<KeyValuePair<string, string>> parameters, string baseUrl, CancellationToken ct)
    {
        var query = TaskSearchParser.Parse(parameters);
        var candidates = await store.SearchTaskCandidatesAsync(query, who.Partner.Id, ct);
        var keys = candidates.Select(c => c.ReferralKey).Distinct().ToList();
        var access = await store.GetAccessManyAsync(keys, ct);
        var policies = await consents.PoliciesAsync(keys, ct);

        var visible = candidates
            .Where(c => access.TryGetValue(c.ReferralKey, out var a) && gate.MaySee(who, a, c.Labels, policies.GetValueOrDefault(c.ReferralKey) ?? []))
            .ToList();
        var page = query.Count == 0 ? [] : visible.Skip(query.Offset).Take(query.Count).ToList();
        var canonical = TaskSearchParser.Canonical(parameters);

        var links = new List<(string, string)> { ("self", Link(baseUrl, canonical, query.Offset)) };
        if (query.Count > 0 && query.Offset + page.Count < visible.Count)
        {
            links.Add(("next", Link(baseUrl, canonical, query.Offset + query.Count)));
        }
        if (query.Offset > 0)
        {
            links.Add(("previous", Link(baseUrl, canonical, Math.Max(0, query.Offset - query.Count))));
        }

        var records = new List<AuditRecord>();
        var entries = new List<(StoredResource Stored, SearchsetWriter.Entry Entry)>();
        var part2 = false;
        var tasks = (await store.ReadManyAsync("Task", page.Select(p => p.TaskId).ToList(), ct)).ToDictionary(t => t.Id);
        foreach (var candidate in page)
        {
            if (tasks.TryGetValue(candidate.TaskId, out var stored)
                && Disclose(baseUrl, who, access[candidate.ReferralKey], stored, policies, records, "match") is { } entry)
            {
                entries.Add((stored, entry.Entry));
                part2 |= entry.Part2;
            }
        }
        if (query.IncludeFocus)
        {
            var focus = page.Select(p => p.FocusId).Distinct().ToList();
            foreach (var stored in await store.ReadManyAsync("ServiceRequest", focus, ct))
            {
                if (stored.ReferralKey is { } key && access.TryGetValue(key, out var a)
                    && AccessPolicy.CanSee(who.Partner, stored.ResourceType, a)
                    && Disclose(baseUrl, who, a, stored, policies, records, "include") is { } entry)
                {
                    entries.Add((stored, entry.Entry));
                    part2 |= entry.Part2;
                }
            }
        }

        // IHE BALP query event and the consent decisions behind it, recorded before the results leave.
        records.Add(AuditRecord.For(who, AuditActions.Search, AuditOutcome.Success, time.GetUtcNow()) with
        {
            PatientId = query.PatientId,
            PurposeOfUse = gate.PurposeOf(who),
            Resources = entries.Select(e => new AuditedResource(e.Stored.VersionedReference, e.Stored.SecurityLabels)).ToList(),
            Detail = "Task?" + canonical,
        });
        await audit.RecordAsync(records, ct);
        return (SearchsetWriter.Write(visible.Count, links, entries.Select(e => e.Entry)), part2);
    }

    private (SearchsetWriter.Entry Entry, bool Part2)? Disclose(string baseUrl, Caller who, ReferralAccess access, StoredResource stored,
        IReadOnlyDictionary<string, IReadOnlyList<ConsentPolicy>> policies, List<AuditRecord> records, string mode)
    {
        var disclosure = gate.Shape(who, access, stored.ResourceType, stored.Json, policies.GetValueOrDefault(access.ReferralKey) ?? []);
        if (disclosure.DecisionRecord is { } decision)
        {
            records.Add(decision);
        }
        return disclosure.Allowed
            ? (new SearchsetWriter.Entry($"{baseUrl}/{stored.ResourceType}/{stored.Id}", disclosure.Json, mode), disclosure.Part2)
            : null;
    }

    private static string Link(string baseUrl, string canonical, int offset) =>
        string.IsNullOrEmpty(canonical) ? $"{baseUrl}/Task?_offset={offset}" : $"{baseUrl}/Task?{canonical}&_offset={offset}";
}
