using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Audit.Witnessing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// No signing over a forged chain (issue 12 §5). The gateway keeps in memory the tree of the
/// records it has itself checked against the witnesses; at start it rebuilds that tree from every
/// record, and before each checkpoint it extends it with the records written since. A witnessed
/// checkpoint whose root the records no longer produce, whose signature is not the gateway's, or
/// that is larger than the trail, means the database was rewritten: from then on the gateway
/// signs nothing and refuses writes, until an operator has looked (a restart checks again).
/// Because new checkpoints are the same tree grown further, each one it signs is consistent with
/// every checkpoint already witnessed (RFC 9162 §2.1.4). Each record it reads is also checked as
/// <c>rx audit verify</c> checks it (<see cref="AuditVerifier.Check"/>: readable columns, its hash, its
/// link to the one before, the query columns against its hashed content), so a gateway never signs
/// over a re-typed record, a broken chain, or a disclosure hidden from the accounting by editing its
/// outcome or patient column, even where no witness holds a checkpoint after it yet. Records it
/// already checked and that are edited while it runs are not re-read here: <c>rx audit verify</c>
/// and the next start find them.
/// </summary>
public sealed class AuditIntegrityGuard(Func<GatewayDbContext> contexts, CheckpointWitnesses witnesses, IKeySigner signer, ILogger<AuditIntegrityGuard> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<long, byte[]> _rootsChecked = [];
    private StreamingRootCheck _tree = new(TreeFrontier.Empty, new Dictionary<long, byte[]>());
    private string _chainHead = AuditChain.Genesis;
    private volatile string? _problem;
    private volatile bool _verified;

    /// <summary>Why the trail is not trusted, or null.</summary>
    public string? Problem => _problem;

    public bool IsCompromised => _problem is not null;

    /// <summary>Checked against the witnesses at least once, with nothing wrong found.</summary>
    public bool IsConsistent => _verified && _problem is null;

    /// <summary>Checks the whole trail up to its head against the latest checkpoint of every witness.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await ExtendAsync(null, ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The root of the first <paramref name="size"/> records, once they are shown consistent with the witnesses; else throws <see cref="AuditIntegrityException"/>.</summary>
    public async Task<byte[]> TreeHeadAsync(long size, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            await ExtendAsync(size, ct);
            if (_problem is not null || _tree.Size != size)
            {
                throw new AuditIntegrityException(_problem ?? $"the audit tree could not be grown to size {size}");
            }
            var root = _tree.Root();
            _rootsChecked[size] = root;
            return root;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>For a root computed elsewhere (the stored tree): it must be the one these records produce.</summary>
    public async Task EnsureSameRootAsync(long size, byte[] root, CancellationToken ct)
    {
        if (!(await TreeHeadAsync(size, ct)).AsSpan().SequenceEqual(root))
        {
            Compromise($"the stored audit tree's root at size {size} is not the root of the records");
            throw new AuditIntegrityException(_problem!);
        }
    }

    /// <summary>Marks the trail untrusted; logs the reason once.</summary>
    public void Compromise(string reason)
    {
        if (_problem is not null)
        {
            return;
        }
        _problem = reason;
        logger.LogCritical("Audit trail integrity check failed: {Reason}. The gateway signs no checkpoint and refuses writes until an operator investigates (rx audit verify)", reason);
    }

    private async Task ExtendAsync(long? upTo, CancellationToken ct)
    {
        if (_problem is not null)
        {
            return;
        }
        var publicKey = await signer.PublicKeyAsync(signer.KeyId, ct) ?? throw new AuditIntegrityException($"the signer does not know its own key {signer.KeyId}");
        var latest = new List<WitnessCopy>();
        foreach (var witness in witnesses.All)
        {
            // A witness that cannot be read now leaves the trail unverified (not untrusted): retried next round.
            if (await witness.LatestAsync(ct) is { } copy)
            {
                latest.Add(copy);
            }
        }
        var witnessed = new WitnessedCheckpointSet(latest, publicKey);
        if (witnessed.Problems.Count > 0)
        {
            Compromise(witnessed.Problems[0].Reason);
            return;
        }

        await using var db = contexts();
        var head = await db.AuditRecords.AsNoTracking().MaxAsync(r => (long?)r.Sequence, ct) ?? 0;
        if (witnessed.Latest is { } newest && newest.Checkpoint.Checkpoint.Size > head)
        {
            Compromise($"the trail ends at record {head} but witness {newest.Witness} holds a checkpoint of size {newest.Checkpoint.Checkpoint.Size}: records were removed");
            return;
        }
        var expected = witnessed.Roots;
        foreach (var (size, root) in expected)
        {
            if (size > _tree.Size)
            {
                continue;
            }
            if (!_rootsChecked.TryGetValue(size, out var known))
            {
                // A checkpoint filed (by another instance) at a size this tree has already passed: one full pass again.
                _tree = new StreamingRootCheck(TreeFrontier.Empty, expected);
                _chainHead = AuditChain.Genesis;
                _rootsChecked.Clear();
                break;
            }
            if (!known.AsSpan().SequenceEqual(root))
            {
                Compromise(WitnessComparison.RootDiffers(new RootMismatch(size, 0, root, known), witnessed.BySize[size].Witness).Reason);
                return;
            }
        }
        _tree = new StreamingRootCheck(_tree.Frontier(), expected);
        await GrowAsync(db, upTo ?? head, witnessed, ct);
        if (_problem is null)
        {
            _verified = true;
        }
    }

    private async Task GrowAsync(GatewayDbContext db, long target, WitnessedCheckpointSet witnessed, CancellationToken ct)
    {
        var reader = new AuditLogReader(db);
        try
        {
            await foreach (var entry in reader.ReadAsync(_tree.Size, ct))
            {
                if (entry.Sequence > target)
                {
                    break;
                }
                if (entry.Sequence > _tree.Size + 1)
                {
                    Compromise($"audit record {_tree.Size + 1} is missing (the trail jumps to record {entry.Sequence})");
                    return;
                }
                if (AuditVerifier.Check(entry, _tree.Size + 1, _chainHead) is { } broken)
                {
                    Compromise(broken.StartsWith("record ", StringComparison.Ordinal) ? "audit " + broken : broken);
                    return;
                }
                _chainHead = entry.Hash;
                if (_tree.Append(entry.Payload) is { } mismatch)
                {
                    Compromise(WitnessComparison.RootDiffers(mismatch, witnessed.BySize[mismatch.Size].Witness).Reason);
                    return;
                }
                if (witnessed.BySize.ContainsKey(_tree.Size))
                {
                    _rootsChecked[_tree.Size] = _tree.Root();
                }
            }
        }
        catch (Exception error) when (error is InvalidCastException or FormatException or NullReferenceException or InvalidOperationException)
        {
            Compromise($"audit record {_tree.Size + 1} cannot be read ({error.GetType().Name}): a column was re-typed or emptied");
        }
    }
}
