using System.Runtime.CompilerServices;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Audit.Witnessing;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// Rides along the chain verifier's single pass over the records: grows the Merkle tree (from
/// empty, or from the state an incremental verifier kept), checks every witnessed root as the
/// stream passes its size, and snapshots the tree at each checkpoint size for the next incremental
/// run. One read of each record serves both checks.
/// </summary>
internal sealed class VerificationPass
{
    private readonly StreamingRootCheck _tree;
    private readonly VerifiedTreeState? _start;
    private readonly IReadOnlySet<long> _checkpointSizes;
    private readonly Func<long, string> _witnessOf;
    private readonly List<TrailProblem> _problems = [];
    private bool _gap;

    public VerificationPass(VerifiedTreeState? start, IReadOnlyDictionary<long, byte[]> witnessedRoots, IReadOnlySet<long> checkpointSizes, Func<long, string> witnessOf)
    {
        _start = start;
        _tree = new StreamingRootCheck(start?.Frontier ?? TreeFrontier.Empty, witnessedRoots);
        _checkpointSizes = checkpointSizes;
        _witnessOf = witnessOf;
        TrailLength = start is null ? 0 : start.Size - 1;
    }

    /// <summary>The last record of the contiguous run seen so far.</summary>
    public long TrailLength { get; private set; }

    public IReadOnlyList<TrailProblem> Problems => _problems;

    /// <summary>The tree at the largest checkpoint size passed without a problem: the next incremental run's start.</summary>
    public VerifiedTreeState? Snapshot { get; private set; }

    public async IAsyncEnumerable<AuditLogEntry> Observe(IAsyncEnumerable<AuditLogEntry> entries, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var entry in entries.WithCancellation(ct))
        {
            if (!_gap)
            {
                Take(entry);
            }
            yield return entry;
        }
    }

    private void Take(AuditLogEntry entry)
    {
        if (_start is not null && entry.Sequence == _start.Size)
        {
            // The record the last run ended on: still the one it verified, or everything after it was re-chained.
            if (!string.Equals(entry.Hash, _start.ChainHead, StringComparison.OrdinalIgnoreCase))
            {
                _problems.Add(new TrailProblem(entry.Sequence, $"record {entry.Sequence} is not the record this verifier verified on its last run (its hash changed): the trail was rewritten"));
            }
            TrailLength = entry.Sequence;
            return;
        }
        if (entry.Sequence != _tree.Size + 1)
        {
            // Missing or out-of-order records: the chain verifier names them; roots past here mean nothing.
            _gap = true;
            return;
        }
        if (_tree.Append(entry.Payload) is { } mismatch)
        {
            _problems.Add(WitnessComparison.RootDiffers(mismatch, _witnessOf(mismatch.Size)));
        }
        TrailLength = entry.Sequence;
        if (_problems.Count == 0 && _checkpointSizes.Contains(entry.Sequence))
        {
            Snapshot = new VerifiedTreeState(entry.Sequence, _tree.Root(), entry.Hash, _tree.Frontier());
        }
    }
}
