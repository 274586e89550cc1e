using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Infrastructure.Persistence.Rows;
using ReferralExchange.Infrastructure.Privacy;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// Builds the whole access index from scratch, or checks it, referral by referral in key order
/// (bounded batches: no statement's parameter count depends on how much is stored). Used by
/// <c>rx access rebuild|verify</c> and at start-up when the index is empty but Tasks exist (a
/// database from before the index).
/// </summary>
public sealed class TaskAccessRebuilder(GatewayDbContext db, WriteGate gate, TaskAccessIndexer indexer, ConsentPolicyCache cache, LabelingRules rules)
{
    private const int BatchSize = 500;

    public sealed record Report(int Referrals, int Tasks, int Disagreements, IReadOnlyList<string> FirstDisagreeing);

    public async Task<int> RebuildAsync(CancellationToken ct)
    {
        var count = 0;
        await foreach (var keys in BatchesAsync(ct))
        {
            using var writing = await gate.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await indexer.RefreshAsync(db, keys, ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            count += keys.Count;
        }
        return count;
    }

    /// <returns>Whether it rebuilt (the index was empty while Tasks exist).</returns>
    public async Task<bool> RebuildIfEmptyAsync(CancellationToken ct)
    {
        if (await db.TaskAccess.AnyAsync(ct) || !await db.TaskIndex.AnyAsync(ct))
        {
            return false;
        }
        await RebuildAsync(ct);
        return true;
    }

    /// <summary>Compares every stored row with what the consent engine decides now from the stored data.</summary>
    public async Task<Report> VerifyAsync(CancellationToken ct)
    {
        int referrals = 0, tasks = 0;
        var disagreeing = new List<string>();
        await foreach (var keys in BatchesAsync(ct))
        {
            referrals += keys.Count;
            var index = await db.TaskIndex.AsNoTracking().Where(t => keys.Contains(t.ReferralKey))
                .Select(t => new { t.TaskId, t.ReferralKey, t.OwnerId, t.Labels }).ToListAsync(ct);
            var taskIds = index.Select(t => t.TaskId).ToList();
            var stored = (await db.TaskAccess.AsNoTracking().Where(a => taskIds.Contains(a.TaskId)).ToListAsync(ct))
                .ToLookup(a => a.TaskId, a => (a.PartnerId, a.Purpose, a.FromTicks, a.UntilTicks));
            var access = await TaskAccessIndexer.AccessAsync(db, keys, ct);
            var policies = await new EfConsentRepository(db, cache).PoliciesAsync(keys, ct);
            foreach (var task in index)
            {
                tasks++;
                var expected = access.TryGetValue(task.ReferralKey, out var a)
                    ? TaskAccessGrants.For(a, task.OwnerId, task.Labels.Length == 0 ? [] : task.Labels.Split(' '), policies.GetValueOrDefault(task.ReferralKey) ?? [], rules)
                        .Select(g => (g.PartnerId, g.Purpose, g.From.UtcTicks, g.Until.UtcTicks)).ToHashSet()
                    : [];
                if (!expected.SetEquals(stored[task.TaskId]))
                {
                    disagreeing.Add(task.TaskId);
                }
            }
        }
        return new Report(referrals, tasks, disagreeing.Count, disagreeing.Take(20).ToList());
    }

    private async IAsyncEnumerable<List<string>> BatchesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        while (true)
        {
            var query = db.Referrals.AsNoTracking().Select(r => r.ReferralKey);
            if (after is not null)
            {
                query = query.Where(k => string.Compare(k, after) > 0);
            }
            var keys = await query.OrderBy(k => k).Take(BatchSize).ToListAsync(ct);
            if (keys.Count == 0)
            {
                yield break;
            }
            yield return keys;
            after = keys[^1];
        }
    }
}
