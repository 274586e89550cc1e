using System.Text.Json;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Search;

/// <summary>
/// The resources a Task page brings along (FHIR R4 search.html#include, #revinclude): its focus
/// ServiceRequests, patients and requesters (<c>_include</c>), and the Procedures based on its
/// ServiceRequests (<c>_revinclude=Procedure:based-on</c>; Procedure.basedOn names the ServiceRequest
/// the Task fulfils, so this is how a Task search reaches the delivery records). Each goes through
/// <see cref="SearchDisclosure"/>: one the caller may not see is left out, with no hint.
/// <c>_summary</c> applies to them; <c>_elements</c> names the matches' elements and does not.
/// </summary>
public sealed class TaskIncludes(IResourceStore store, SearchDisclosure disclosure)
{
    public async Task AddAsync(TaskSearchQuery query, IReadOnlyList<TaskCandidate> page, SearchDisclosure.Page results, CancellationToken ct)
    {
        var subset = query.Common.Subset with { Elements = [] };
        var access = page.GroupBy(c => c.ReferralKey).ToDictionary(g => g.Key, g => g.First().Access);
        if (query.IncludeFocus)
        {
            await AddReferencedAsync("ServiceRequest", page.Select(p => p.FocusId), access, results, subset, ct);
        }
        if (query.IncludePatient)
        {
            await AddReferencedAsync("Patient", page.Select(p => p.PatientId), access, results, subset, ct);
        }
        if (query.IncludeRequester)
        {
            await AddReferencedAsync("Organization", page.Select(p => p.RequesterId), access, results, subset, ct);
        }
        if (query.RevIncludeProcedures)
        {
            await AddProceduresAsync(page.Select(p => (p.ReferralKey, p.FocusId)).ToList(), access, results, subset, ct);
        }
    }

    /// <summary>The Procedures of these referrals whose basedOn names one of these ServiceRequests.</summary>
    public async Task AddProceduresAsync(IReadOnlyList<(string ReferralKey, string ServiceRequestId)> basedOn, IReadOnlyDictionary<string, ReferralAccess> access,
        SearchDisclosure.Page results, ResultSubset subset, CancellationToken ct)
    {
        if (basedOn.Count == 0)
        {
            return;
        }
        var wanted = basedOn.Select(b => $"ServiceRequest/{b.ServiceRequestId}").ToHashSet(StringComparer.Ordinal);
        var procedures = await store.ReadReferralsAsync(basedOn.Select(b => b.ReferralKey).Distinct().ToList(), "Procedure", ct);
        foreach (var procedure in procedures.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            if (procedure.ReferralKey is { } key && access.TryGetValue(key, out var a) && BasedOn(procedure.Json).Any(wanted.Contains))
            {
                disclosure.Add(results, a, procedure, "include", subset);
            }
        }
    }

    private async Task AddReferencedAsync(string type, IEnumerable<string> ids, IReadOnlyDictionary<string, ReferralAccess> access,
        SearchDisclosure.Page results, ResultSubset subset, CancellationToken ct)
    {
        var wanted = ids.Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        foreach (var stored in (await store.ReadManyAsync(type, wanted, ct)).OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            if (stored.ReferralKey is null)
            {
                disclosure.Add(results, null, stored, "include", subset);
            }
            else if (access.TryGetValue(stored.ReferralKey, out var a))
            {
                // Only a resource of the page's own referrals: the access that admitted the Task decides it too.
                disclosure.Add(results, a, stored, "include", subset);
            }
        }
    }

    private static IEnumerable<string> BasedOn(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("basedOn", out var basedOn) || basedOn.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return basedOn.EnumerateArray()
            .Select(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("reference", out var reference) ? reference.GetString() : null)
            .OfType<string>()
            .ToList();
    }
}
