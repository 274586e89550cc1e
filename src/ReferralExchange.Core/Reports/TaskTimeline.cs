using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Storage;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Reports;

/// <summary>One Task's life from its stored versions: each status and when it began.</summary>
public sealed record TaskTimeline(string TaskId, string? Focus, string? Owner, string? Priority, DateTimeOffset AuthoredOn,
    IReadOnlyList<(string Status, DateTimeOffset Since)> States, bool HasOutput)
{
    public string Status => States[^1].Status;

    public DateTimeOffset? FirstReached(string status) => States.FirstOrDefault(s => s.Status == status) is { Status: not null } s ? s.Since : null;

    /// <summary>Time spent in each status (the current one up to <paramref name="now"/>).</summary>
    public IReadOnlyDictionary<string, TimeSpan> TimeInStates(DateTimeOffset now)
    {
        var result = new Dictionary<string, TimeSpan>();
        for (var i = 0; i < States.Count; i++)
        {
            var end = i + 1 < States.Count ? States[i + 1].Since : now;
            result[States[i].Status] = result.GetValueOrDefault(States[i].Status) + (end - States[i].Since);
        }
        return result;
    }

    public static IReadOnlyList<TaskTimeline> From(IEnumerable<StoredResource> versions) =>
        versions.GroupBy(v => v.Id).Select(g =>
        {
            var ordered = g.OrderBy(v => v.VersionId).ToList();
            var tasks = ordered.Select(v => (Stored: v, Task: (FhirTask)FhirJson.ParseStored(v.Json))).ToList();
            var states = new List<(string, DateTimeOffset)>();
            foreach (var (stored, task) in tasks)
            {
                var status = task.Status?.GetLiteral() ?? "draft";
                if (states.Count == 0 || states[^1].Item1 != status)
                {
                    states.Add((status, stored.LastUpdated));
                }
            }
            var last = tasks[^1].Task;
            var authored = DateTimeOffset.TryParse(last.AuthoredOn, out var a) ? a : tasks[0].Stored.LastUpdated;
            return new TaskTimeline(g.Key, last.Focus?.Reference, last.Owner?.Reference, last.Priority?.GetLiteral(), authored, states, last.Output.Count > 0);
        }).ToList();
}
