using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Privacy;
using FhirTask = Hl7.Fhir.Model.Task;

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// What the referral source may write on its Task: the elements of <c>task-transitions.json</c>
/// <c>requesterWrites</c> (the status and why). Everything else is the owner's work (output, notes,
/// business status: docs/domain.md "Task state machine") or fixed at intake. The source was shown the
/// minimum-necessary view (<see cref="MinimumNecessaryShaper"/>), so for every other element it may
/// send back either the stored element or the view of it it was shown; the stored element is kept,
/// and anything else is refused with the element's path (422) rather than silently dropped.
/// </summary>
public sealed class RequesterTaskWrite(MinimumNecessaryShaper minimumNecessary)
{
    /// <summary>Managed by the gateway whoever writes: never compared.</summary>
    private static readonly HashSet<string> ServerManaged = ["resourceType", "id", "meta", "lastModified"];

    public FhirTask Merge(FhirTask stored, FhirTask incoming, IReadOnlySet<string> requesterWrites, IReadOnlySet<string> fixedAtIntake)
    {
        var before = JsonNode.Parse(FhirJson.Serialize(stored))!.AsObject();
        var shown = before.DeepClone().AsObject();
        minimumNecessary.Shape(shown);
        var merged = JsonNode.Parse(FhirJson.Serialize(incoming))!.AsObject();

        var issues = new List<Issue>();
        var elements = before.Select(p => p.Key).Union(merged.Select(p => p.Key)).Where(k => !ServerManaged.Contains(k) && !requesterWrites.Contains(k)).ToList();
        foreach (var key in elements)
        {
            var sent = merged[key];
            if (JsonNode.DeepEquals(sent, before[key]) || JsonNode.DeepEquals(sent, shown[key]))
            {
                // Unchanged (as stored, or as shown): keep what is stored, including what the source never saw.
                merged[key] = before[key]?.DeepClone();
                if (merged[key] is null) merged.Remove(key);
                continue;
            }
            issues.Add(fixedAtIntake.Contains(key)
                ? new Issue("business-rule", $"Task.{key} is set at intake and cannot be changed", $"Task.{key}")
                : new Issue("business-rule", $"Task.{key} is the owner's: only the receiving partner may add or change it", $"Task.{key}"));
        }
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }
        return FhirJson.Parse<FhirTask>(merged.ToJsonString());
    }
}
