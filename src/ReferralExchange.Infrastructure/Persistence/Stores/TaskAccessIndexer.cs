using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;
using ReferralExchange.Infrastructure.Privacy;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>
/// Keeps the access index (<see cref="TaskAccessRow"/>) equal to what the consent engine decides:
/// the rows of every Task of the given referrals are recomputed from what the caller's transaction
/// sees (saved changes included) and replaced. Callers run it inside the transaction of the change,
/// after saving it, so the index and the data commit together or not at all.
/// </summary>
public sealed class TaskAccessIndexer(ConsentPolicyCache cache, LabelingRules rules)
{
    public async Task RefreshAsync(GatewayDbContext db, IReadOnlyCollection<string> referralKeys, CancellationToken ct)
    {
        if (referralKeys.Count == 0)
        {
            return;
        }
        var keys = referralKeys.Distinct().ToList();
        var tasks = await db.TaskIndex.AsNoTracking()
            .Where(t => keys.Contains(t.ReferralKey))
            .Select(t => new { t.TaskId, t.ReferralKey, t.OwnerId, t.Labels })
            .ToListAsync(ct);
        var access = await AccessAsync(db, keys, ct);
        var policies = await new EfConsentRepository(db, cache.ForUncommittedReads()).PoliciesAsync(keys, ct);

        await db.TaskAccess.Where(a => keys.Contains(a.ReferralKey)).ExecuteDeleteAsync(ct);
        foreach (var task in tasks)
        {
            if (access.TryGetValue(task.ReferralKey, out var referral))
            {
                AddRows(db, referral, task.TaskId, task.OwnerId, task.Labels, policies.GetValueOrDefault(task.ReferralKey) ?? []);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The rows of a referral that the caller's transaction creates, added before it saves: its
    /// participants, its one Task and all its Consents are in the caller's hands and nothing else
    /// of it exists yet, so the rows <see cref="RefreshAsync"/> would compute after the save are
    /// computed from them, with no query (ADR 0030). <c>rx access verify</c> recomputes them from
    /// the stored rows; AccessIndexTests asserts the two agree.
    /// </summary>
    public void AddForNewReferral(GatewayDbContext db, ReferralAccess referral, TaskIndexRow task, IReadOnlyList<ConsentPolicy> policies) =>
        AddRows(db, referral, task.TaskId, task.OwnerId, task.Labels, policies);

    private void AddRows(GatewayDbContext db, ReferralAccess referral, string taskId, string? ownerId, string labels, IReadOnlyList<ConsentPolicy> policies)
    {
        var taskLabels = labels.Length == 0 ? [] : labels.Split(' ');
        foreach (var grant in TaskAccessGrants.For(referral, ownerId, taskLabels, policies, rules))
        {
            db.TaskAccess.Add(new TaskAccessRow
            {
                TaskId = taskId,
                ReferralKey = referral.ReferralKey,
                PartnerId = grant.PartnerId,
                Purpose = grant.Purpose,
                FromTicks = grant.From.UtcTicks,
                UntilTicks = grant.Until.UtcTicks,
            });
        }
    }

    /// <summary>Every referral's participants, as the access decision needs them.</summary>
    public static async Task<Dictionary<string, ReferralAccess>> AccessAsync(GatewayDbContext db, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        var referrals = await db.Referrals.AsNoTracking()
            .Where(r => keys.Contains(r.ReferralKey))
            .Select(r => new { r.ReferralKey, r.RequesterId, r.RecipientId, r.PatientId })
            .ToListAsync(ct);
        var candidates = await CandidatesAsync(db, keys.ToArray(), ct);
        return referrals.ToDictionary(r => r.ReferralKey,
            r => new ReferralAccess(r.ReferralKey, r.RequesterId, r.RecipientId, candidates[r.ReferralKey].ToList(), r.PatientId));
    }

    private sealed record CandidateRow(string ReferralKey, string PartnerId);

    // Asked by every search page: compiled once, so only the IN list's parameters change per call.
    private static readonly CompiledPerModel<Func<GatewayDbContext, string[], IAsyncEnumerable<CandidateRow>>> CandidatesOf = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string[] keys) => db.ReferralParticipants.AsNoTracking()
            .Where(p => keys.Contains(p.ReferralKey) && p.Role == ReferralParticipantRow.Candidate)
            .Select(p => new CandidateRow(p.ReferralKey, p.PartnerId))));

    /// <summary>The partners each referral is offered to as candidates, by referral key.</summary>
    public static async Task<ILookup<string, string>> CandidatesAsync(GatewayDbContext db, string[] keys, CancellationToken ct)
    {
        var rows = new List<CandidateRow>();
        if (keys.Length > 0)
        {
            await foreach (var row in CandidatesOf.For(db)(db, keys).WithCancellation(ct))
            {
                rows.Add(row);
            }
        }
        return rows.ToLookup(r => r.ReferralKey, r => r.PartnerId);
    }
}
