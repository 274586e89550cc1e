namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// SQLite allows one writer at a time; concurrent writers that collide get SQLITE_BUSY and the
/// provider sleeps before retrying, which puts hundreds of milliseconds on the tail. Queuing
/// writers in-process instead keeps write latency proportional to the queue. (A server database
/// gets <see cref="None"/>: it has row locks.)
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim? _semaphore;

    private WriteGate(SemaphoreSlim? semaphore) => _semaphore = semaphore;

    public static WriteGate SingleWriter() => new(new SemaphoreSlim(1, 1));

    public static WriteGate None() => new(null);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (_semaphore is null)
        {
            return Releaser.Empty;
        }
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim? semaphore) : IDisposable
    {
        public static readonly Releaser Empty = new(null);

        public void Dispose() => semaphore?.Release();
    }
}
