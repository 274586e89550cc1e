namespace ReferralExchange.Core.Validation;

/// <summary>
/// Bounds how many validations run at once; the rest wait asynchronously, holding no thread, in
/// arrival order (ADR 0030). Firely's validator checks every required binding through
/// <c>Hl7.Fhir.Utility.TaskHelper.Await</c>, which is <c>Task.Run(...).GetAwaiter().GetResult()</c>:
/// the validating thread blocks until another pool thread takes the hop from its queue. With
/// every request validating at once, most pool threads sit blocked on hops queued behind the
/// next requests' work and the pool injects threads to dig itself out; with no more validations
/// than cores, the hops find a free thread at once.
/// </summary>
public sealed class ValidationGate
{
    private readonly SemaphoreSlim _slots;

    public ValidationGate(int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        Concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
    }

    /// <summary>One validation per core: measured best on two cores (docs/benchmarks.md, "Ninth run").</summary>
    public static int DefaultConcurrency => Environment.ProcessorCount;

    public int Concurrency { get; }

    /// <summary>Slots taken: validations running now (those waiting for a slot are not counted).</summary>
    public int Running => Concurrency - _slots.CurrentCount;

    /// <summary>
    /// Runs <paramref name="validation"/> once a slot is free. A cancelled wait throws and takes no
    /// slot; the slot is released however the validation ends.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<T> validation, CancellationToken ct)
    {
        await _slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return validation();
        }
        finally
        {
            _slots.Release();
        }
    }
}
