using ReferralExchange.Core.Validation;
using Task = System.Threading.Tasks.Task;

namespace ReferralExchange.Core.Tests.Validation;

/// <summary>ADR 0030: no more validations at once than the gate's slots; a wait holds no slot it did not get.</summary>
public sealed class ValidationGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_WithBothSlotsTaken_HoldsTheThirdUntilOneIsFree()
    {
        var gate = new ValidationGate(2);
        using var release = new ManualResetEventSlim();
        var started = 0;
        var validations = Enumerable.Range(0, 3)
            .Select(_ => Task.Run(() => gate.RunAsync(() =>
            {
                Interlocked.Increment(ref started);
                release.Wait(Patience);
                return 0;
            }, CancellationToken.None)))
            .ToList();

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) == 2, Patience));
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref started));
        Assert.Equal(2, gate.Running);

        release.Set();
        await Task.WhenAll(validations).WaitAsync(Patience);
        Assert.Equal(3, started);
        Assert.Equal(0, gate.Running);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_ThrowsAndTakesNoSlot()
    {
        var gate = new ValidationGate(1);
        using var release = new ManualResetEventSlim();
        var holder = Task.Run(() => gate.RunAsync(() => release.Wait(Patience), CancellationToken.None));
        Assert.True(SpinWait.SpinUntil(() => gate.Running == 1, Patience));
        using var cancel = new CancellationTokenSource();
        var ran = false;

        var waiting = gate.RunAsync(() => ran = true, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.Set();
        await holder.WaitAsync(Patience);
        Assert.False(ran);
        Assert.Equal(0, gate.Running);
        Assert.Equal(1, await gate.RunAsync(() => 1, CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task RunAsync_WhenTheValidationThrows_ReleasesItsSlot()
    {
        var gate = new ValidationGate(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => gate.RunAsync<int>(() => throw new InvalidOperationException("broken"), CancellationToken.None));

        Assert.Equal(0, gate.Running);
        Assert.Equal(1, await gate.RunAsync(() => 1, CancellationToken.None).WaitAsync(Patience));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_WithoutASlot_IsRefused(int concurrency) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ValidationGate(concurrency));
}
