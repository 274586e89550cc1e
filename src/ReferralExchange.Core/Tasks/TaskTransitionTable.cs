using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReferralExchange.Core.Tasks;

/// <summary>
/// The Task state machine read from the embedded <c>task-transitions.json</c>: which moves exist,
/// who may make them, which states are final, which need a reason or an output, and what the
/// requester may write besides the status.
/// </summary>
public sealed class TaskTransitionTable
{
    private readonly IReadOnlyList<Transition> _transitions;

    private TaskTransitionTable(TableFile file)
    {
        Final = file.Final.ToHashSet();
        ReasonRequired = file.ReasonRequired.ToHashSet();
        OutputRequired = file.OutputRequired.ToHashSet();
        RequesterWrites = file.RequesterWrites.ToHashSet();
        _transitions = file.Transitions;
    }

    public static TaskTransitionTable Default { get; } = LoadEmbedded();

    public IReadOnlySet<string> Final { get; }
    public IReadOnlySet<string> ReasonRequired { get; }
    public IReadOnlySet<string> OutputRequired { get; }

    /// <summary>The Task elements the requester (referral source) may write; the rest is the owner's or fixed at intake.</summary>
    public IReadOnlySet<string> RequesterWrites { get; }

    /// <summary>The states the caller may move a Task to from <paramref name="from"/>.</summary>
    public IReadOnlyList<string> AllowedMoves(string from, TaskRole role)
    {
        if (Final.Contains(from))
        {
            return [];
        }
        return _transitions
            .Where(t => (t.From == from || t.From == "*") && MayAct(t.By, role))
            .Select(t => t.To)
            .Distinct()
            .ToList();
    }

    public bool IsAllowed(string from, string to, TaskRole role) => AllowedMoves(from, role).Contains(to);

    private static bool MayAct(string by, TaskRole role) => by switch
    {
        "owner" => role.HasFlag(TaskRole.Owner),
        "requester" => role.HasFlag(TaskRole.Requester),
        "either" => role != TaskRole.None,
        _ => false,
    };

    private static TaskTransitionTable LoadEmbedded()
    {
        using var stream = typeof(TaskTransitionTable).Assembly.GetManifestResourceStream("ReferralExchange.Core.Tasks.task-transitions.json")
            ?? throw new InvalidOperationException("task-transitions.json is not embedded");
        return new TaskTransitionTable(JsonSerializer.Deserialize<TableFile>(stream, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })
            ?? throw new InvalidOperationException("task-transitions.json is empty"));
    }

    private sealed record TableFile(string[] Final, string[] ReasonRequired, string[] OutputRequired, string[] RequesterWrites, Transition[] Transitions);

    private sealed record Transition(string From, string To, string By);
}
