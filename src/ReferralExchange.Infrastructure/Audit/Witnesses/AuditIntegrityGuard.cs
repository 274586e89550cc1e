using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Audit.Witnessing;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// No signing over a forged chain (issue 12 §5). The gateway keeps in memory the tree of the
/// records it has itself checked against the witnesses. At start it takes that tree at the newest
/// witnessed checkpoint, proven from the stored nodes against the signed roots (<see cref="WitnessedTip"/>,
/// ADR 0026), and reads only the records after it; <see cref="AuditRecheck"/> reads the ones before
/// it again in the background. Where that proof cannot be made (no witnessed checkpoint, a missing
/// or rewritten node) it reads every record first. Before each checkpoint it extends the tree with
/// the records written since. A witnessed checkpoint whose root the records no longer produce,
/// whose signature is not the gateway's, or that is larger than the trail, means the database was
/// rewritten: from then on the gateway signs nothing and refuses writes, until an operator has
/// looked (a restart checks again). Because new checkpoints are the same tree grown further, each
/// one it signs is consistent with every checkpoint already witnessed (RFC 9162 §2.1.4). Each record
/// it reads is also checked as <c>rx audit verify</c> checks it (<see cref="TrailPass"/>), so a
/// gateway never signs over a re-typed record, a broken chain, or a disclosure hidden from the
/// accounting by editing its outcome or patient column. Records it already checked and that are
/// edited while it runs are not re-read here: <c>rx audit verify</c> and the next start find them.
/// </summary>
public sealed class AuditIntegrityGuard(Func<GatewayDbContext> contexts, CheckpointWitnesses witnesses, IKeySigner signer, ILogger<AuditIntegrityGuard> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<long, byte[]> _rootsChecked = [];
    private TrailPass? _pass;
    private volatile string? _problem;
    private volatile bool _verified;

    /// <summary>Why the trail is not trusted, or null.</summary>
    public string? Problem => _problem;

    public bool IsCompromised => _problem is not null;

    /// <summary>Checked against the witnesses at least once, with nothing wrong found.</summary>
    public bool IsConsistent => _verified && _problem is null;

    /// <summary>Set when this process's first check started at a witnessed checkpoint: the records before it, for <see cref="AuditRecheck"/>.</summary>
    public RecheckPlan? PendingRecheck { get; private set; }

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
            if (_problem is not null || _pass is null || _pass.Size != size)
            {
                throw new AuditIntegrityException(_problem ?? $"the audit tree could not be grown to size {size}");
            }
            var root = _pass.Root();
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
        var resumed = _pass is null ? await WitnessedTip.ResumeAsync(db, witnessed, ct) : null;
        if (_pass is null && resumed is null && witnessed.Latest is { } tip && tip.Checkpoint.Checkpoint.Size > 0)
        {
            logger.LogWarning("The stored audit tree does not prove the witnessed checkpoint of {Size} records (a node or the last record differs or is missing): every record is read before the gateway is ready", tip.Checkpoint.Checkpoint.Size);
        }
        if (resumed is not null)
        {
            // The first check of this process starts at the newest witnessed checkpoint (ADR 0026);
            // the records before it are read again in the background (AuditRecheck).
            _pass = resumed;
            foreach (var (size, root) in expected.Where(e => e.Key <= resumed.Size))
            {
                _rootsChecked[size] = root;
            }
            PendingRecheck = new RecheckPlan(resumed.Size, witnessed);
            logger.LogInformation("Audit trail resumed at the witnessed checkpoint of {Size} records; the records before it are re-checked in the background", resumed.Size);
        }
        _pass ??= new TrailPass(TreeFrontier.Empty, AuditChain.Genesis, witnessed);
        foreach (var (size, root) in expected)
        {
            if (size > _pass.Size)
            {
                continue;
            }
            if (_rootsChecked.TryGetValue(size, out var known))
            {
                if (!known.AsSpan().SequenceEqual(root))
                {
                    Compromise(WitnessComparison.RootDiffers(new RootMismatch(size, 0, root, known), witnessed.BySize[size].Witness).Reason);
                    return;
                }
                continue;
            }
            // A checkpoint filed (by another instance) at a size this tree has already passed: proven
            // an earlier state of this tree from the stored nodes, or else one full pass again.
            if (await WitnessedTip.ConsistentAsync(new AuditTreeStore(db), size, root, _pass.Size, _pass.Root(), ct))
            {
                _rootsChecked[size] = root;
                continue;
            }
            _pass = new TrailPass(TreeFrontier.Empty, AuditChain.Genesis, witnessed);
            _rootsChecked.Clear();
            break;
        }
        _pass = _pass.Expecting(witnessed);
        if (await _pass.GrowAsync(db, upTo ?? head, long.MaxValue, (size, root) => _rootsChecked[size] = root, ct) is { } problem)
        {
            Compromise(problem);
            return;
        }
        _verified = true;
    }
}

/// <summary>The records a start did not read: the first <paramref name="Size"/>, to be checked against <paramref name="Witnessed"/>.</summary>
public sealed record RecheckPlan(long Size, WitnessedCheckpointSet Witnessed);
