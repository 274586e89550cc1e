using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using ReferralExchange.Infrastructure.Telemetry;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// Group commit (ADR 0010): one writer takes the units of work of every request in flight — audit
/// records of reads, submissions with their audit records, Task and Consent changes — and commits
/// them in batches, one transaction and so one fsync per batch instead of one per request.
/// <list type="bullet">
/// <item>Each unit runs inside its own savepoint: a unit that fails (a stale If-Match, a duplicate
/// referral) is rolled back alone and fails only its own request.</item>
/// <item>A request's task completes only after the batch's commit has returned: nothing leaves
/// before its audit record is durable (a 2xx still means durable).</item>
/// <item>If the commit fails, every request of the batch fails, and nothing of the batch is written.</item>
/// </list>
/// The batch holds the <see cref="WriteGate"/>, so writers that still run their own transactions
/// (notifications, partners, checkpoints) take turns with it.
/// <para>Bounded waits (issue 13 §4): a request waits for its batch at most the busy timeout; a unit
/// whose request gave up before the batch reached it is skipped, never written after its 503. A
/// unit already running is waited for: its outcome is the answer. After each commit the database
/// file is checked (issue 13 §2): a commit into a file no longer at the path acknowledges nothing.</para>
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    /// <summary>Units per batch at most: bounds the latency a unit adds to the others of its batch.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<GatewayDbContext> _contexts;
    private readonly WriteGate _gate;
    private readonly ILogger<GroupCommit> _logger;
    private readonly DatabaseContention? _contention;
    private readonly DatabaseFileGuard? _file;
    private readonly Task _writer;

    public GroupCommit(Func<GatewayDbContext> contexts, WriteGate gate, ILogger<GroupCommit> logger,
        DatabaseContention? contention = null, DatabaseFileGuard? file = null)
    {
        _contexts = contexts;
        _gate = gate;
        _logger = logger;
        _contention = contention;
        _file = file;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Runs <paramref name="work"/> in the next batch's transaction and returns once that batch is committed.</summary>
    /// <remarks>The work may save (the batch also saves after it) but must not begin or commit a transaction.</remarks>
    public async Task<T> RunAsync<T>(Func<GatewayDbContext, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var unit = new Unit<T>(work);
        if (!_queue.Writer.TryWrite(unit))
        {
            throw new InvalidOperationException("The gateway is stopping: nothing more is written");
        }
        try
        {
            return _contention is null
                ? await unit.Completion.Task.WaitAsync(ct)
                : await unit.Completion.Task.WaitAsync(_contention.BusyTimeout, ct);
        }
        catch (Exception waited) when (waited is TimeoutException or OperationCanceledException)
        {
            // The wait may give up just as the unit finishes (the timer and the commit race): a
            // unit that has finished, or whose batch has begun, answers with its own outcome.
            if (!unit.Completion.Task.IsCompleted && unit.TryAbandon())
            {
                throw waited is TimeoutException ? _contention!.Busy() : waited;
            }
            return await unit.Completion.Task;
        }
    }

    public Task RunAsync(Func<GatewayDbContext, CancellationToken, Task> work, CancellationToken ct) =>
        RunAsync<bool>(async (db, token) => { await work(db, token); return true; }, ct);

    private async Task WriteLoopAsync()
    {
        // The loop was started from whichever request first needed the writer: its trace must not
        // become the parent of every batch after it.
        Activity.Current = null;
        var batch = new List<Unit>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var unit))
            {
                if (!unit.Abandoned)
                {
                    batch.Add(unit);
                }
            }
            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    private async Task CommitAsync(List<Unit> batch)
    {
        var done = new List<Unit>(batch.Count);
        // A failed unit's request hears of it only after the batch: it may look for what an earlier
        // unit of the same batch wrote (a concurrent duplicate submission finds the first one's answer).
        var failed = new List<(Unit Unit, Exception Error)>();
        // A batch serves many requests: it is a trace of its own, linked to each request's span, and
        // each unit is a span in its own request's trace (docs/observability.md).
        using var batchSpan = GatewayTelemetry.Source.HasListeners()
            ? GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.CommitBatch, ActivityKind.Internal, default(ActivityContext),
                [new(GatewayTelemetry.Tags.Units, batch.Count)], batch.Where(u => u.Caller != default).Select(u => new ActivityLink(u.Caller)).ToList())
            : null;
        try
        {
            using var writing = await _gate.EnterAsync(CancellationToken.None);
            await using var db = _contexts();
            // Our savepoints bound each unit; EF's own around every SaveChanges would be redundant.
            db.Database.AutoSavepointsEnabled = false;
            // Only the batch's first audit append reads the chain's head and frontier; the rest continue from memory.
            var tip = db.BatchAuditTip = new Audit.BatchAuditTip();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                var unit = batch[i];
                if (!unit.TryStart())
                {
                    continue; // its request already answered 503; it is not written
                }
                var savepoint = "u" + i;
                await transaction.CreateSavepointAsync(savepoint);
                var unitSpan = batchSpan is null ? null : GatewayTelemetry.Source.StartActivity(GatewayTelemetry.Spans.CommitUnit, ActivityKind.Internal, unit.Caller);
                try
                {
                    await unit.RunAsync(db);
                    await db.SaveChangesAsync();
                    await transaction.ReleaseSavepointAsync(savepoint);
                    tip.Accept();
                    done.Add(unit);
                }
                catch (Exception error)
                {
                    // The status only: an exception's message may quote the data (PHI rule).
                    unitSpan?.SetStatus(ActivityStatusCode.Error);
                    tip.Reject();
                    await transaction.RollbackToSavepointAsync(savepoint);
                    failed.Add((unit, error));
                }
                finally
                {
                    db.ChangeTracker.Clear();
                    unitSpan?.Dispose();
                    Activity.Current = batchSpan;
                }
            }
            await transaction.CommitAsync();
            // A commit into a file no longer at the path is not durable: fail the batch (issue 13 §2).
            _file?.EnsureIntact();
        }
        catch (Exception caught)
        {
            // A locked database is the 503 refusal with Retry-After, not an internal error.
            // SQLite itself may refuse a file that moved (SQLITE_READONLY_DBMOVED): that too is the guard's 503.
            var error = _file is not null && !_file.Check() ? DatabaseFileGuard.Refusal()
                : _contention is not null && DatabaseContention.IsBusyError(caught) ? _contention.Busy()
                : caught;
            // The batch is not durable: every request in it fails, and none of it was written.
            // (Busy and a replaced file have their own one line: DatabaseContention, DatabaseFileGuard.)
            if (error is not Core.Errors.GatewayException)
            {
                _logger.LogError(error, "A group commit of {Units} units failed", batch.Count);
            }
            batchSpan?.SetStatus(ActivityStatusCode.Error);
            foreach (var unit in done)
            {
                unit.Fail(error);
            }
            failed.ForEach(f => f.Unit.Fail(f.Error));
            // Units the batch never reached (it failed before their turn) fail with it.
            foreach (var unit in batch.Except(done).Except(failed.Select(f => f.Unit)))
            {
                unit.Fail(error);
            }
            return;
        }
        if (done.Count > 0)
        {
            _contention?.ReportCommitted();
        }
        foreach (var unit in done)
        {
            unit.Succeed();
        }
        failed.ForEach(f => f.Unit.Fail(f.Error));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private abstract class Unit
    {
        /// <summary>The span of the request that queued this unit (default if none was recorded).</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        private const int Pending = 0, Running = 1, Gone = 2;
        private int _state;

        /// <summary>Its request gave up before the batch reached it.</summary>
        public bool Abandoned => Volatile.Read(ref _state) == Gone;

        /// <summary>The batch claims the unit; false if its request gave up first.</summary>
        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Pending) == Pending;

        /// <summary>The request gives up; false if the batch has already started the unit.</summary>
        public bool TryAbandon()
        {
            if (Interlocked.CompareExchange(ref _state, Gone, Pending) != Pending)
            {
                return false;
            }
            Cancel();
            return true;
        }

        protected abstract void Cancel();
        public abstract Task RunAsync(GatewayDbContext db);
        public abstract void Succeed();
        public abstract void Fail(Exception error);
    }

    private sealed class Unit<T>(Func<GatewayDbContext, CancellationToken, Task<T>> work) : Unit
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // A request that gave up before its turn is not written at all.
        protected override void Cancel() => Completion.TrySetCanceled();

        // Once started a unit runs to the end: a half-applied change must not depend on a client's disconnect.
        public override async Task RunAsync(GatewayDbContext db) => _result = await work(db, CancellationToken.None);

        public override void Succeed() => Completion.TrySetResult(_result!);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}
