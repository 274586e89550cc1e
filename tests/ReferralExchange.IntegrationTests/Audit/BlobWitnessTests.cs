using Azure.Storage.Blobs;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The Azure Blob witness against Azurite (issue 12 §2): written once per size, never overwritten, listed in tree order; and a gateway that files its checkpoints there.</summary>
public sealed class BlobWitnessTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly string _keyPath = Path.Combine(Path.GetTempPath(), "rx-blobkey-" + Guid.NewGuid().ToString("N")[..12] + ".pem");

    [Fact]
    public async Task Write_NewSizes_AreHeldAndListedInTreeOrder()
    {
        var witness = await WitnessAsync();

        Assert.Equal(WitnessWrite.Written, await witness.WriteAsync(await SignAsync(12, 1)));
        Assert.Equal(WitnessWrite.Written, await witness.WriteAsync(await SignAsync(3, 2)));

        var copies = await witness.ReadAllAsync();
        Assert.Equal([3L, 12L], copies.Select(c => c.Size));
        Assert.Equal(12, SignedCheckpoint.Parse(copies[1].Note).Checkpoint.Size);
        Assert.Equal(12, (await witness.LatestAsync())!.Size);
    }

    [Fact]
    public async Task Write_ADifferentCheckpointForAHeldSize_IsRefusedAsAForkAndTheFirstIsKept()
    {
        var witness = await WitnessAsync();
        var original = await SignAsync(7, 1);
        await witness.WriteAsync(original);
        var other = await SignAsync(7, 2);

        await Assert.ThrowsAsync<WitnessForkException>(() => witness.WriteAsync(other));

        var held = SignedCheckpoint.Parse((await witness.LatestAsync())!.Note);
        Assert.Equal(original.Checkpoint.RootHash, held.Checkpoint.RootHash);
    }

    [Fact]
    public async Task Write_TheSameCheckpointSignedAgain_IsAlreadyHeld()
    {
        var witness = await WitnessAsync();
        await witness.WriteAsync(await SignAsync(5, 1));

        // ECDSA signatures differ each time: same text, other bytes.
        Assert.Equal(WitnessWrite.AlreadyHeld, await witness.WriteAsync(await SignAsync(5, 1)));
    }

    [Fact]
    public async Task Gateway_ConfiguredWithABlobWitness_FilesEveryCheckpointThere()
    {
        var container = "gw-" + Guid.NewGuid().ToString("N")[..12];
        await using var gateway = await WitnessedGateway.StartAsync(null,
            new("Gateway:Audit:Witnesses:0:Type", "AzureBlob"),
            new("Gateway:Audit:Witnesses:0:ConnectionString", azurite.ConnectionString),
            new("Gateway:Audit:Witnesses:0:Container", container));
        await gateway.GenerateTrafficAsync(1);

        var size = await gateway.CheckpointAsync();

        ICheckpointWitness blob = new BlobWitness(new BlobContainerClient(azurite.ConnectionString, container));
        var copies = await blob.ReadAllAsync();
        Assert.Equal(size, Assert.Single(copies).Size);
        Assert.Empty(gateway.Witnessed());
    }

    [Fact]
    public async Task Gateway_WithADirectoryAndABlobWitness_FilesBoth_AndVerifyStillCatchesAForgeryWhenTheDirectoryIsWiped()
    {
        var container = "gw2-" + Guid.NewGuid().ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), "rx-w2-" + Guid.NewGuid().ToString("N")[..12]);
        var gateway = await WitnessedGateway.StartAsync(null,
            new("Gateway:Audit:Witnesses:0:Type", "Directory"),
            new("Gateway:Audit:Witnesses:0:Path", directory),
            new("Gateway:Audit:Witnesses:1:Type", "AzureBlob"),
            new("Gateway:Audit:Witnesses:1:ConnectionString", azurite.ConnectionString),
            new("Gateway:Audit:Witnesses:1:Container", container));
        try
        {
            await gateway.GenerateTrafficAsync(1);
            var size = await gateway.CheckpointAsync();
            await gateway.StopAsync();
            ICheckpointWitness blob = new BlobWitness(new BlobContainerClient(azurite.ConnectionString, container));
            ICheckpointWitness folder = new DirectoryWitness(directory);
            Assert.Contains(size, (await blob.ReadAllAsync()).Select(c => c.Size));
            Assert.Contains(size, (await folder.ReadAllAsync()).Select(c => c.Size));

            // Root on the host: rewrites the trail, drops its checkpoints and empties the local witness.
            var forgery = new ChainForgery(gateway.DatabasePath);
            forgery.DropTriggers();
            forgery.DeleteCheckpoints();
            forgery.RewriteFrom(1);
            forgery.RestoreTriggers();
            foreach (var file in Directory.EnumerateFiles(directory)) File.Delete(file);
            var (exit, output) = await gateway.VerifyAsync("--witness-dir", directory,
                "--witness-blob-connection-string", azurite.ConnectionString, "--witness-blob-container", container);

            Assert.Equal(2, exit);
            Assert.Contains($"held by witness {blob.Name} is missing from the database", output);
        }
        finally
        {
            gateway.DeleteFolder();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private async Task<ICheckpointWitness> WitnessAsync()
    {
        ICheckpointWitness witness = new BlobWitness(new BlobContainerClient(azurite.ConnectionString, "w-" + Guid.NewGuid().ToString("N")[..12]));
        await witness.EnsureWritableAsync();
        return witness;
    }

    private async Task<SignedCheckpoint> SignAsync(long size, byte rootByte)
    {
        using var signer = LocalKeySigner.LoadOrCreate(_keyPath);
        var root = Enumerable.Repeat(rootByte, 32).ToArray();
        return (await new CheckpointSigner(signer).SignAsync(new Checkpoint("rx.test/audit", size, root), CancellationToken.None)).Signed;
    }

    public void Dispose() => File.Delete(_keyPath);
}
