using ReferralExchange.Core.Access;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// Task search as a searchset Bundle (FHIR R4 §3.1.1). Who may see which Task, for which purpose,
/// is the access index (<see cref="TaskAccessGrants"/>, ADR 0009): the database filters, counts and
/// pages by it with a keyset, so a page costs the same however much is stored, and <c>total</c>,
/// pages and links describe only what the caller may see. Page entries and included
/// ServiceRequests still pass through the consent gate (redaction), and every decision is audited.
/// </summary>
public sealed class TaskSearchService(IResourceStore store, IConsentRepository consents, ConsentGate gate, IAuditTrail audit, TimeProvider time)
{
    /// <returns>The searchset Bundle as FHIR JSON, and whether it discloses Part 2 data.</returns>
    public async Task<(string Json, bool Part2)> SearchAsync(Caller who, IReadOnlyList<KeyValuePair<string, string>> parameters, string baseUrl, CancellationToken ct)
    {
        var query = TaskSearchParser.Parse(parameters);
        var purpose = gate.PurposeOf(who);
        var result = await store.SearchTasksAsync(query, who.Partner.Id, purpose, time.GetUtcNow(), ct);
        var page = result.Items;
        var access = page.GroupBy(c => c.ReferralKey).ToDictionary(g => g.Key, g => g.First().Access);
        // Only the page's consents are read: shaping needs them (and the source's minimum necessary).
        var policies = await consents.PoliciesAsync(access.Keys.ToList(), ct);
        var canonical = TaskSearchParser.Canonical(parameters);

        var links = new List<(string, string)> { ("self", Link(baseUrl, canonical, query.After)) };
        if (result.HasMore && page.Count > 0)
        {
            links.Add(("next", Link(baseUrl, canonical, new SearchCursor(page[^1].LastUpdatedTicks, page[^1].TaskId))));
        }

        var records = new List<AuditRecord>();
        var entries = new List<(StoredResource Stored, SearchsetWriter.Entry Entry, string PatientId)>();
        var part2 = false;
        var tasks = (await store.ReadManyAsync("Task", page.Select(p => p.TaskId).ToList(), ct)).ToDictionary(t => t.Id);
        foreach (var candidate in page)
        {
            if (tasks.TryGetValue(candidate.TaskId, out var stored)
                && Disclose(baseUrl, who, access[candidate.ReferralKey], stored, policies, records, "match") is { } entry)
            {
                entries.Add((stored, entry.Entry, candidate.Access.PatientId));
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
                    entries.Add((stored, entry.Entry, a.PatientId));
                    part2 |= entry.Part2;
                }
            }
        }

        // IHE BALP query event and the consent decisions behind it, recorded before the results leave.
        // The page's decisions are one AuthZ-Consent record naming every Consent used, so that a
        // page of twenty costs two audit rows, not twenty-one.
        records = Aggregate(records);
        // One query record per person whose data left (so each person's accounting of disclosures
        // lists it); an empty result discloses no one's data.
        var now = time.GetUtcNow();
        var byPatient = entries.GroupBy(e => e.PatientId).ToList();
        if (byPatient.Count == 0)
        {
            records.Add(AuditRecord.For(who, AuditActions.Search, AuditOutcome.Success, now) with { PurposeOfUse = gate.PurposeOf(who), Detail = "Task?" + canonical });
        }
        records.AddRange(byPatient.Select(g => AuditRecord.For(who, AuditActions.Search, AuditOutcome.Success, now) with
        {
            PatientId = g.Key,
            PurposeOfUse = gate.PurposeOf(who),
            Resources = g.Select(e => new AuditedResource(e.Stored.VersionedReference, e.Stored.SecurityLabels)).ToList(),
            Detail = "Task?" + canonical,
        }));
        await audit.RecordAsync(records, ct);
        return (SearchsetWriter.Write(result.Total, links, entries.Select(e => e.Entry)), part2);
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

    private static List<AuditRecord> Aggregate(List<AuditRecord> decisions)
    {
        if (decisions.Count <= 1)
        {
            return decisions;
        }
        var first = decisions[0];
        return
        [
            first with
            {
                Outcome = decisions.Any(d => d.Outcome == AuditOutcome.Success) ? AuditOutcome.Success : AuditOutcome.MinorFailure,
                PatientId = decisions.Select(d => d.PatientId).Distinct().Count() == 1 ? first.PatientId : null,
                ConsentReference = null,
                Resources = decisions.Where(d => d.ConsentReference is not null).Select(d => d.ConsentReference!).Distinct()
                    .Select(c => new AuditedResource(c, [])).ToList(),
                Detail = $"{decisions.Count} decisions: " + string.Join("; ", decisions.Select(d => d.Detail).Distinct()),
            },
        ];
    }

    private static string Link(string baseUrl, string canonical, SearchCursor? after)
    {
        var position = after is null ? null : "_cursor=" + SearchCursorFormat.Format(after);
        var query = string.Join('&', new[] { canonical, position }.Where(p => !string.IsNullOrEmpty(p)));
        return query.Length == 0 ? $"{baseUrl}/Task" : $"{baseUrl}/Task?{query}";
    }
}
