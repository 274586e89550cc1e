using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// The records a start did not read (ADR 0026): when the integrity guard started at the newest
/// witnessed checkpoint, every record before it is read again here, from the first, in rounds of
/// <see cref="RecordsPerRound"/> (a short read each, so no snapshot is held for minutes), checked as
/// at start and rehashed into the tree whose root must be each witnessed root it reaches. A finding
/// marks the trail untrusted exactly as a finding at start does: unready, no signing, writes refused.
/// Until it is done, checkpoints the gateway signs still only extend the witnessed tree, but an old
/// record edited while the gateway was stopped is not yet found (SECURITY.md says so).
/// </summary>
public sealed class AuditRecheck(Func<GatewayDbContext> contexts, AuditIntegrityGuard guard, ILogger<AuditRecheck> logger)
{
    public const int RecordsPerRound = 5_000;

    private long _checked;
    private volatile bool _done;

    /// <summary>How many of the records before the witnessed tip have been checked again.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <summary>The records to check again (0 when the start read them all).</summary>
    public long Target => guard.PendingRecheck?.Size ?? 0;

    /// <summary>Nothing left to check again: done, or never needed.</summary>
    public bool IsDone => _done || guard.PendingRecheck is null;

    /// <param name="cpuShare">The share of one core the pass may take (0, 1]: it sleeps between rounds so requests keep the rest.</param>
    public async Task RunAsync(double cpuShare, CancellationToken ct)
    {
        if (guard.PendingRecheck is not { } plan)
        {
            _done = true;
            return;
        }
        var clock = Stopwatch.StartNew();
        var pass = new TrailPass(TreeFrontier.Empty, AuditChain.Genesis, plan.Witnessed);
        while (pass.Size < plan.Size && !guard.IsCompromised)
        {
            var round = Stopwatch.StartNew();
            var before = pass.Size;
            string? problem;
            await using (var db = contexts())
            {
                problem = await pass.GrowAsync(db, plan.Size, RecordsPerRound, witnessedSizeReached: null, ct);
            }
            if (problem is null && pass.Size == before)
            {
                problem = $"audit record {before + 1} is missing (the trail stops at record {before}, before the witnessed checkpoint of {plan.Size})";
            }
            if (problem is not null)
            {
                guard.Compromise(problem);
                return;
            }
            Interlocked.Exchange(ref _checked, pass.Size);
            await Task.Delay(round.Elapsed * ((1 - cpuShare) / cpuShare), ct);
        }
        _done = true;
        logger.LogInformation("Audit trail re-check done: records 1..{Size} hold and produce the witnessed roots ({Seconds:0} s)", plan.Size, clock.Elapsed.TotalSeconds);
    }
}
