namespace ReferralExchange.Core.Errors;

/// <summary>
/// Bounds the size of an error answer (issue 13 §3): at most <see cref="Max"/> issues per
/// OperationOutcome, the last one saying how many more were found. An 81 KB body of twenty
/// thousand empty elements must not buy a 16 MB answer, nor the time and memory to build it.
/// </summary>
public static class IssueLimit
{
    public const int Max = 100;

    /// <summary>The first issues mapped, the rest only counted; past <see cref="Max"/> a closing issue says how many more.</summary>
    /// <param name="stoppedEarly">The checker gave up after its budget: there may be more than were counted.</param>
    public static IReadOnlyList<Issue> Cap<T>(IEnumerable<T> found, Func<T, Issue> map, bool stoppedEarly = false)
    {
        var shown = new List<Issue>();
        var more = 0;
        foreach (var item in found)
        {
            if (shown.Count < Max)
            {
                shown.Add(map(item));
            }
            else
            {
                more++;
            }
        }
        if (more > 0 || stoppedEarly && shown.Count == Max)
        {
            // The summary takes the last place, so the answer never holds more than Max issues.
            shown.RemoveAt(shown.Count - 1);
            shown.Add(Summary(more + 1, stoppedEarly));
        }
        return shown;
    }

    public static IReadOnlyList<Issue> Cap(IReadOnlyList<Issue> issues) => issues.Count <= Max ? issues : Cap(issues, i => i);

    // IssueType too-costly: "the operation was stopped to protect server resources" (FHIR R4 ValueSet issue-type).
    private static Issue Summary(int more, bool stoppedEarly) => new("too-costly",
        stoppedEarly
            ? $"Checking stopped here; at least {more} more issue(s) were found. Correct these and send again"
            : $"{more} more issue(s) were found and are not listed",
        Severity: IssueSeverityLevel.Information);
}
