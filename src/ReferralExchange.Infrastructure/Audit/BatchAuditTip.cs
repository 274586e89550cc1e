using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>The chain's head (sequence and hash of the last record) and the Merkle frontier after it.</summary>
public sealed record AuditChainTip(long Sequence, string PreviousHash, CompactRange Tree);

/// <summary>
/// The chain's tip kept across the units of one group-commit batch (ADR 0010), so that only the
/// batch's first append reads the head and the frontier (and takes the server's chain lock); the
/// others continue from memory. This is exact because the batch holds the write gate and, on a
/// server database, the chain lock until its commit: nothing else can append in between.
/// <list type="bullet">
/// <item>A unit appends to a copy (<see cref="Pending"/>); only once its savepoint is released does
/// the copy become the tip (<see cref="Accept"/>). A unit rolled back to its savepoint leaves the tip
/// as it was (<see cref="Reject"/>), which is exactly what its rollback left in the database.</item>
/// <item>The chain lock is taken by the first unit that had no tip; if that unit is rolled back, the
/// lock taken inside its savepoint goes with it, and so does the tip: the next unit reads and locks again.</item>
/// </list>
/// </summary>
public sealed class BatchAuditTip
{
    private AuditChainTip? _accepted;

    /// <summary>The tip as the current unit has moved it, not yet accepted.</summary>
    internal AuditChainTip? Pending { get; set; }

    /// <summary>Where the current unit continues from: its own earlier append, else the batch's accepted tip (copied), else nothing.</summary>
    internal AuditChainTip? Resume() => Pending ?? (_accepted is { } tip ? tip with { Tree = tip.Tree.Copy() } : null);

    /// <summary>The unit's savepoint was released: its appends are part of the batch.</summary>
    public void Accept()
    {
        _accepted = Pending ?? _accepted;
        Pending = null;
    }

    /// <summary>The unit was rolled back to its savepoint: its appends never happened.</summary>
    public void Reject() => Pending = null;
}
