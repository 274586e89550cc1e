using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The append-only directory witness (issue 12 §2): one file per size, never overwritten, listed in tree order.</summary>
public sealed class DirectoryWitnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-dirwit-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ICheckpointWitness _witness;

    public DirectoryWitnessTests() => _witness = new DirectoryWitness(Path.Combine(_root, "witness"));

    [Fact]
    public async Task Write_NewSize_CreatesOneFileNamedByTheZeroPaddedSize()
    {
        var checkpoint = await SignAsync(42, 1);

        Assert.Equal(WitnessWrite.Written, await _witness.WriteAsync(checkpoint));

        var file = Path.Combine(_root, "witness", "00000000000000000042");
        Assert.Equal(checkpoint.Text, File.ReadAllText(file));
    }

    [Fact]
    public async Task Write_ADifferentCheckpointForAHeldSize_IsAForkAndTheFileIsUnchanged()
    {
        var original = await SignAsync(9, 1);
        await _witness.WriteAsync(original);
        var other = await SignAsync(9, 2);

        await Assert.ThrowsAsync<WitnessForkException>(() => _witness.WriteAsync(other));

        Assert.Equal(original.Text, (await _witness.LatestAsync())!.Note);
    }

    [Fact]
    public async Task Write_TheSameCheckpointSignedAgain_IsAlreadyHeld()
    {
        await _witness.WriteAsync(await SignAsync(9, 1));

        Assert.Equal(WitnessWrite.AlreadyHeld, await _witness.WriteAsync(await SignAsync(9, 1)));
    }

    [Fact]
    public async Task ReadAll_IgnoresFilesThatAreNotCheckpoints_AndSortsBySize()
    {
        await _witness.EnsureWritableAsync();
        await _witness.WriteAsync(await SignAsync(100, 1));
        await _witness.WriteAsync(await SignAsync(20, 2));
        File.WriteAllText(Path.Combine(_root, "witness", "notes.txt"), "an operator's notes");

        var copies = await _witness.ReadAllAsync();

        Assert.Equal([20L, 100L], copies.Select(c => c.Size));
    }

    [Fact]
    public async Task ReadAll_WhileAnEntryIsStillHeldByItsWriter_WaitsForItInsteadOfFailing()
    {
        // What a second replica's write looks like to a verification: the file exists, locked until flushed.
        var checkpoint = await SignAsync(77, 1);
        Directory.CreateDirectory(Path.Combine(_root, "witness"));
        var writer = new FileStream(Path.Combine(_root, "witness", "00000000000000000077"), FileMode.CreateNew, FileAccess.Write, FileShare.None);
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(checkpoint.Text));
            await writer.DisposeAsync();
        });

        var copies = await _witness.ReadAllAsync();
        await release;

        Assert.Equal(checkpoint.Text, Assert.Single(copies).Note);
    }

    [Fact]
    public async Task EnsureWritable_PathUnderARegularFile_IsUnavailable()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "file"), "x");
        ICheckpointWitness blocked = new DirectoryWitness(Path.Combine(_root, "file", "witness"));

        await Assert.ThrowsAsync<WitnessUnavailableException>(() => blocked.EnsureWritableAsync());
    }

    private async Task<SignedCheckpoint> SignAsync(long size, byte rootByte)
    {
        using var signer = LocalKeySigner.LoadOrCreate(Path.Combine(_root, "key.pem"));
        return (await new CheckpointSigner(signer).SignAsync(new Checkpoint("rx.test/audit", size, Enumerable.Repeat(rootByte, 32).ToArray()), CancellationToken.None)).Signed;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
