using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Reading;
using ReferralExchange.Core.Search;
using ReferralExchange.Core.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.WebConsole.Core;

/// <summary>
/// What a person may see of a referral: the API's reads through the consent gate (each one audited
/// as a disclosure), and a note of what the gate withheld, by data class or whole resource, never
/// the withheld content (issue 16: "a clear note of what was withheld").
/// </summary>
public sealed class ReferralReading(GatewayCore core)
{
    public sealed record Referral(FhirTask Task, int TaskVersion, ServiceRequest? Request, Patient? Person, IReadOnlyList<string> Withheld, bool Part2)
    {
        public string? ConsentId => Request?.SupportingInfo.Select(r => r.Reference).FirstOrDefault(r => r?.StartsWith("Consent/", StringComparison.Ordinal) == true)?["Consent/".Length..];
    }

    public sealed record TimelineStep(string Status, DateTimeOffset Since, string? Reason);

    public Task<Referral> OpenAsync(Caller caller, string taskId, CancellationToken ct) => core.RunAsync(async services =>
    {
        var reader = services.GetRequiredService<ResourceReader>();
        var store = services.GetRequiredService<IResourceStore>();
        var withheld = new List<string>();
        var task = await reader.ReadAsync(caller, "Task", taskId, ct);
        var part2 = task.Part2;
        var fhirTask = FhirJson.Parse<FhirTask>(task.Resource.Json);
        NoteWithheld("Referral task", await store.ReadAsync("Task", taskId, ct), task.Resource, withheld);
        var request = await TryReadAsync<ServiceRequest>(caller, reader, store, fhirTask.Focus?.Reference, "Referral request", withheld, ct);
        var person = await TryReadAsync<Patient>(caller, reader, store, fhirTask.For?.Reference, "Person's details", withheld, ct);
        return new Referral(fhirTask, task.Resource.VersionId, request.Resource, person.Resource, withheld, part2 || request.Part2 || person.Part2);
    });

    /// <summary>The Task's status history, as its versions record it (the API's _history, audited).</summary>
    public Task<IReadOnlyList<TimelineStep>> TimelineAsync(Caller caller, string taskId, CancellationToken ct) => core.RunAsync(async services =>
    {
        var (bundle, _) = await services.GetRequiredService<ResourceReader>().HistoryAsync(caller, "Task", taskId, [], strict: false, "https://console.invalid", ct);
        var steps = new List<TimelineStep>();
        foreach (var version in bundle.Entry.Select(e => e.Resource).OfType<FhirTask>().OrderBy(t => int.Parse(t.Meta?.VersionId ?? "0", System.Globalization.CultureInfo.InvariantCulture)))
        {
            var status = version.Status?.ToString().ToLowerInvariant() ?? "unknown";
            if (steps.Count == 0 || steps[^1].Status != status)
            {
                steps.Add(new TimelineStep(status, version.Meta?.LastUpdated ?? DateTimeOffset.MinValue, version.StatusReason?.Text));
            }
        }
        return (IReadOnlyList<TimelineStep>)steps;
    });

    /// <summary>The inbox: referrals this partner owns, and open referrals it may claim (the API's Task search).</summary>
    public Task<(IReadOnlyList<FhirTask> Owned, IReadOnlyList<FhirTask> Open)> InboxAsync(Caller caller, CancellationToken ct) => core.RunAsync(async services =>
    {
        var search = services.GetRequiredService<TaskSearchService>();
        var owned = await SearchAsync(search, caller, [new("owner", caller.Partner.Reference), new("_count", "100")], ct);
        var open = await SearchAsync(search, caller, [new("owner:missing", "true"), new("status", "requested"), new("_count", "100")], ct);
        return ((IReadOnlyList<FhirTask>)owned, (IReadOnlyList<FhirTask>)open);
    });

    private static async Task<List<FhirTask>> SearchAsync(TaskSearchService search, Caller caller, List<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        var (json, _) = await search.SearchAsync(caller, parameters, strict: false, "https://console.invalid", ct);
        return FhirJson.Parse<Bundle>(json).Entry.Select(e => e.Resource).OfType<FhirTask>().ToList();
    }

    private static async Task<(T? Resource, bool Part2)> TryReadAsync<T>(Caller caller, ResourceReader reader, IResourceStore store, string? reference,
        string what, List<string> withheld, CancellationToken ct) where T : Resource
    {
        if (reference?.Split('/') is not [var type, var id])
        {
            return (null, false);
        }
        try
        {
            var disclosed = await reader.ReadAsync(caller, type, id, ct);
            NoteWithheld(what, await store.ReadAsync(type, id, ct), disclosed.Resource, withheld);
            return (FhirJson.Parse<T>(disclosed.Resource.Json), disclosed.Part2);
        }
        catch (GatewayException refused) when (refused.Kind is ErrorKind.Forbidden or ErrorKind.NotFound)
        {
            withheld.Add($"{what}: withheld entirely — the person's consent does not cover it for your organization.");
            return (null, false);
        }
    }

    /// <summary>Names the data classes present in the stored version and absent from what was disclosed.</summary>
    private static void NoteWithheld(string what, StoredResource? stored, StoredResource disclosed, List<string> withheld)
    {
        if (stored is null) return;
        var all = DisclosureShaper.Inspect(stored.Json);
        var shown = DisclosureShaper.Inspect(disclosed.Json);
        var missing = all.ElementClasses.Except(shown.ElementClasses).Order().ToList();
        // Only structural classes are named (contact); a class that carries a sensitivity label
        // (mental health, substance use...) is never named: naming it would disclose that the
        // person has such data (ADR 0024), where the API shows only that something was REDACTED.
        var named = missing.Where(c => !LabelingRules.Default.LabelsOfClass(c).Any()).ToList();
        if (named.Count > 0 && named.Count == missing.Count)
        {
            withheld.Add($"{what}: {string.Join(", ", named)} information withheld under the person's consent.");
        }
        else if (missing.Count > 0)
        {
            withheld.Add($"{what}: some details withheld under the person's consent.");
        }
        else if (disclosed.Json.Contains("\"REDACTED\"", StringComparison.Ordinal))
        {
            withheld.Add($"{what}: some details withheld (minimum necessary for your role).");
        }
    }
}
