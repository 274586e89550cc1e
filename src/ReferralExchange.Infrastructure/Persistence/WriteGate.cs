namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// SQLite allows one writer at a time; concurrent writers that collide get SQLITE_BUSY and the
/// provider sleeps before retrying, which puts hundreds of milliseconds on the tail. Queuing
/// writers in-process instead keeps write latency proportional to the queue. (A server database
/// gets <see cref="None"/>: it has row locks.)
/// <para>The wait is bounded (issue 13 §4): past <see cref="DatabaseOptions.BusyTimeout"/> the
/// writer gets the 503 refusal; and no writer enters once the database file is no longer the one
/// opened (<see cref="DatabaseFileGuard"/>, issue 13 §2).</para>
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim? _semaphore;
    private readonly DatabaseContention? _contention;
    private readonly DatabaseFileGuard? _file;

    private WriteGate(SemaphoreSlim? semaphore, DatabaseContention? contention, DatabaseFileGuard? file)
    {
        _semaphore = semaphore;
        _contention = contention;
        _file = file;
    }

    /// <param name="contention">Bounds the wait; without it a writer waits as long as it takes (tools, tests).</param>
    /// <param name="file">Refuses writers once the database file was replaced or removed.</param>
    public static WriteGate SingleWriter(DatabaseContention? contention = null, DatabaseFileGuard? file = null) =>
        new(new SemaphoreSlim(1, 1), contention, file);

    public static WriteGate None() => new(null, null, null);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        _file?.EnsureIntact();
        if (_semaphore is null)
        {
            return Releaser.Empty;
        }
        if (_contention is null)
        {
            await _semaphore.WaitAsync(ct);
        }
        else if (!await _semaphore.WaitAsync(_contention.BusyTimeout, ct))
        {
            throw _contention.Busy();
        }
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public static readonly Releaser Empty = new(null);

        public void Dispose() => semaphore?.Release();
    }
}
