using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Errors;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// <see cref="IDeferredAuditTrail"/> over the group commit: one writer drains a bounded queue in
/// chunks, retrying after Retry-After while the database is busy. What it cannot write goes to the
/// log as one line per record (the same fields as the record: partner, action, outcome, request id,
/// detail; no person data, the records of refusals carry none).
/// </summary>
public sealed class DeferredAuditTrail : IDeferredAuditTrail, IAsyncDisposable
{
    /// <summary>Records held at most while the database is away; beyond it they are logged at once.</summary>
    public const int Capacity = 10_000;

    private const int Chunk = 256;

    private readonly Channel<AuditRecord> _queue = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private readonly GroupCommit _commit;
    private readonly ILogger<DeferredAuditTrail> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;

    public DeferredAuditTrail(GroupCommit commit, ILogger<DeferredAuditTrail> logger)
    {
        _commit = commit;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Records waiting for the database (a health check may report it).</summary>
    public int Pending => _queue.Reader.Count;

    public void RecordLater(AuditRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Lost(record, "the deferred audit queue is full");
        }
    }

    private async Task WriteLoopAsync()
    {
        var chunk = new List<AuditRecord>(Chunk);
        while (await _queue.Reader.WaitToReadAsync())
        {
            chunk.Clear();
            while (chunk.Count < Chunk && _queue.Reader.TryRead(out var record))
            {
                chunk.Add(record);
            }
            await WriteAsync(chunk);
        }
    }

    private async Task WriteAsync(List<AuditRecord> chunk)
    {
        while (true)
        {
            try
            {
                var records = chunk.ToList();
                await _commit.RunAsync((db, ct) => AuditAppender.AppendAsync(db, records, ct), CancellationToken.None);
                return;
            }
            catch (GatewayException busy) when (busy.RetryAfter is { } wait && !_stopping.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(wait, _stopping.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            catch (Exception error)
            {
                chunk.ForEach(r => Lost(r, error is GatewayException ? "the database cannot be written" : error.GetType().Name));
                return;
            }
        }
    }

    private void Lost(AuditRecord record, string why) =>
        _logger.LogError("Audit record not written ({Why}): {Action} {Outcome} by {PartnerId} at {Recorded:O}, request {RequestId}: {Detail}",
            why, record.Action, record.Outcome, record.PartnerId, record.Recorded, record.RequestId, record.Detail);

    /// <summary>At shutdown: one more try for what waits (the group commit still runs), then the log.</summary>
    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so disposed twice: only the first one stops it.
        if (!_queue.Writer.TryComplete())
        {
            return;
        }
        await _stopping.CancelAsync();
        await _writer;
        _stopping.Dispose();
    }
}
