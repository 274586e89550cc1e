using ReferralExchange.Core.Tasks;

namespace ReferralExchange.Core.Tests.Tasks;

/// <summary>
/// Every (from, to, who) combination of the Task state machine against docs/domain.md, written out
/// independently of task-transitions.json: a change to the data file that breaks the product
/// rules fails here.
/// </summary>
public sealed class TaskTransitionMatrixTests
{
    private static readonly string[] Statuses =
        ["draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"];

    private static readonly HashSet<(string, string, TaskRole)> Legal =
    [
        ("draft", "requested", TaskRole.Requester),
        ("requested", "accepted", TaskRole.Owner), ("requested", "rejected", TaskRole.Owner),
        ("accepted", "in-progress", TaskRole.Owner), ("accepted", "on-hold", TaskRole.Owner), ("accepted", "failed", TaskRole.Owner), ("accepted", "completed", TaskRole.Owner),
        ("in-progress", "on-hold", TaskRole.Owner), ("in-progress", "failed", TaskRole.Owner), ("in-progress", "completed", TaskRole.Owner),
        ("on-hold", "in-progress", TaskRole.Owner), ("on-hold", "failed", TaskRole.Owner),
        ("requested", "cancelled", TaskRole.Owner), ("accepted", "cancelled", TaskRole.Owner), ("in-progress", "cancelled", TaskRole.Owner), ("on-hold", "cancelled", TaskRole.Owner),
        ("requested", "cancelled", TaskRole.Requester), ("accepted", "cancelled", TaskRole.Requester), ("in-progress", "cancelled", TaskRole.Requester), ("on-hold", "cancelled", TaskRole.Requester),
        // requester: any (non-final) → entered-in-error
        ("draft", "entered-in-error", TaskRole.Requester), ("requested", "entered-in-error", TaskRole.Requester), ("received", "entered-in-error", TaskRole.Requester),
        ("accepted", "entered-in-error", TaskRole.Requester), ("ready", "entered-in-error", TaskRole.Requester), ("in-progress", "entered-in-error", TaskRole.Requester),
        ("on-hold", "entered-in-error", TaskRole.Requester),
    ];

    public static TheoryData<string, string, TaskRole> AllCombinations()
    {
        var data = new TheoryData<string, string, TaskRole>();
        foreach (var from in Statuses)
            foreach (var to in Statuses)
                if (from != to)
                    foreach (var role in new[] { TaskRole.Owner, TaskRole.Requester, TaskRole.None })
                        data.Add(from, to, role);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void IsAllowed_MatchesTheProductStateMachine(string from, string to, TaskRole role) =>
        Assert.Equal(Legal.Contains((from, to, role)), TaskTransitionTable.Default.IsAllowed(from, to, role));
}
