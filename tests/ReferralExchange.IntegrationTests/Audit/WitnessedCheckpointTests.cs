using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Issue 12 §2, §4, §5 on a real gateway, its SQLite file and its default directory witness: each
/// rewrite of the stopped gateway's database that verified INTACT before is now BROKEN against the
/// witness, and a gateway restarted on it signs nothing, is unready and refuses writes.
/// </summary>
public sealed class WitnessedCheckpointTests
{
    [Fact]
    public async Task Verify_EveryCheckpointDeletedAndTheWholeChainRewritten_IsBrokenNamingTheWitnessedCheckpoint()
    {
        var (gateway, first, _) = await TwoCheckpointsThenStopAsync();
        var forgery = new ChainForgery(gateway.DatabasePath);
        forgery.DropTriggers();
        forgery.DeleteCheckpoints();
        forgery.RewriteFrom(1);
        forgery.RestoreTriggers();

        var (exit, output) = await gateway.VerifyAsync();

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN", output);
        Assert.Contains($"the checkpoint of size {first} held by witness {gateway.WitnessDirectory} is missing from the database", output);
        await AssertRestartSignsNothingAsync(gateway);
    }

    [Fact]
    public async Task Verify_NewestCheckpointDeletedAndTheRecordsAfterThePreviousRewritten_IsBroken()
    {
        var (gateway, first, _) = await TwoCheckpointsThenStopAsync();
        var forgery = new ChainForgery(gateway.DatabasePath);
        var newest = forgery.Scalar("SELECT MAX(\"Sequence\") FROM \"AuditCheckpoints\"");
        forgery.DropTriggers();
        forgery.DeleteCheckpoints($"\"Sequence\" = {newest}");
        forgery.RewriteFrom(first + 1);
        forgery.RestoreTriggers();

        var (exit, output) = await gateway.VerifyAsync();

        Assert.Equal(2, exit);
        Assert.Contains($"the checkpoint of size {newest} held by witness", output);
        Assert.Contains("a record after", output);
        await AssertRestartSignsNothingAsync(gateway);
    }

    [Fact]
    public async Task Verify_EveryCheckpointDeletedAndHalfTheTrailCut_IsBrokenAsShorterThanWitnessed()
    {
        var (gateway, _, _) = await TwoCheckpointsThenStopAsync();
        var forgery = new ChainForgery(gateway.DatabasePath);
        var head = forgery.Scalar("SELECT MAX(\"Sequence\") FROM \"AuditRecords\"");
        forgery.DropTriggers();
        forgery.DeleteCheckpoints();
        forgery.TruncateAfter(head / 2);
        forgery.RestoreTriggers();

        var (exit, output) = await gateway.VerifyAsync();

        Assert.Equal(2, exit);
        Assert.Contains($"the trail ends at record {head / 2} but witness {gateway.WitnessDirectory} holds a checkpoint of size", output);
        await AssertRestartSignsNothingAsync(gateway);
    }

    [Fact]
    public async Task Stop_Graceful_LeavesAWitnessedCheckpointCoveringEveryRecord()
    {
        var gateway = await WitnessedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(2);
        await gateway.CheckpointAsync();
        await gateway.GenerateTrafficAsync(1);

        await gateway.StopAsync();
        try
        {
            var forgery = new ChainForgery(gateway.DatabasePath);
            var records = forgery.Scalar("SELECT MAX(\"Sequence\") FROM \"AuditRecords\"");
            Assert.Equal(records, gateway.Witnessed()[^1].Checkpoint.Size);
            Assert.Equal(records, forgery.Scalar("SELECT MAX(\"Sequence\") FROM \"AuditCheckpoints\""));
            var (exit, output) = await gateway.VerifyAsync();
            Assert.Equal(0, exit);
            Assert.StartsWith("INTACT", output);
        }
        finally
        {
            gateway.DeleteFolder();
        }
    }

    [Fact]
    public async Task VerifyIncremental_EditBeforeTheDatabasesLatestCheckpoint_IsCaught()
    {
        var gateway = await WitnessedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(1);
        var first = await gateway.CheckpointAsync();
        await gateway.StopAsync();
        // The verifier's own run: it keeps the checkpoint it verified, beside the witness.
        var (firstExit, _) = await gateway.VerifyAsync("--incremental");
        Assert.Equal(0, firstExit);
        gateway = await gateway.RestartAsync();
        await gateway.GenerateTrafficAsync(1);
        var later = await gateway.CheckpointAsync();
        await gateway.StopAsync();
        var forgery = new ChainForgery(gateway.DatabasePath);
        forgery.DropTriggers();
        var edited = first + 1;
        Assert.True(edited < later);
        new AuditTampering(gateway).Execute("UPDATE \"AuditRecords\" SET \"Payload\" = CAST(REPLACE(CAST(\"Payload\" AS TEXT), '\"outcome\":0', '\"outcome\":4') AS BLOB) WHERE \"Sequence\" = @s", ("@s", edited));

        var (exit, output) = await gateway.VerifyAsync("--incremental");

        gateway.DeleteFolder();
        Assert.Equal(2, exit);
        Assert.StartsWith($"BROKEN at record {edited}", output);
    }

    [Fact]
    public async Task Checkpoint_WitnessUnwritable_CountsAsUnwitnessedUnreadyAndIsFiledOnTheNextRound()
    {
        var gateway = await WitnessedGateway.StartAsync();
        try
        {
            await gateway.GenerateTrafficAsync(1);
            // The witness directory becomes a regular file: root can write anywhere else.
            Directory.Move(gateway.WitnessDirectory, gateway.WitnessDirectory + ".away");
            File.WriteAllText(gateway.WitnessDirectory, "blocked");

            var size = await gateway.CheckpointAsync();

            using var probe = HealthProbe.For(gateway);
            var ready = await probe.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("witness-writable", await ready.Content.ReadAsStringAsync());
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("is not witnessed yet"));
            File.Delete(gateway.WitnessDirectory);
            Directory.Move(gateway.WitnessDirectory + ".away", gateway.WitnessDirectory);

            // The next round (here: the graceful stop's) files the checkpoint it missed.
            await gateway.StopAsync();
            Assert.Contains(gateway.Witnessed(), c => c.Checkpoint.Size >= size);
        }
        finally
        {
            gateway.DeleteFolder();
        }
    }

    [Fact]
    public async Task HealthEndpoints_OnAnIntactGateway_AnswerWithoutAToken()
    {
        await using var gateway = await WitnessedGateway.StartAsync();
        using var probe = HealthProbe.For(gateway);

        var live = await probe.GetAsync("/health/live");
        var ready = await probe.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("audit-integrity", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Checkpoint_OnAnIntactGateway_IsFiledWithTheWitnessAsASignedNote()
    {
        await using var gateway = await WitnessedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(1);

        var size = await gateway.CheckpointAsync();

        var note = Assert.Single(gateway.Witnessed());
        Assert.Equal(size, note.Checkpoint.Size);
        Assert.True(ReferralExchange.Core.Audit.Witnessing.WitnessedCheckpointSet.Verifies(note,
            ReferralExchange.Core.Audit.Checkpoints.EcdsaNoteKey.FromPem("k", File.ReadAllText(gateway.SigningKeyPath)).SubjectPublicKeyInfo));
    }

    /// <summary>Traffic, a checkpoint, more traffic, another checkpoint, a graceful stop (which may sign a final one).</summary>
    private static async Task<(WitnessedGateway Gateway, long First, long Second)> TwoCheckpointsThenStopAsync()
    {
        var gateway = await WitnessedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(2);
        var first = await gateway.CheckpointAsync();
        await gateway.GenerateTrafficAsync(2);
        var second = await gateway.CheckpointAsync();
        await gateway.StopAsync();
        Assert.True(gateway.Witnessed().Count >= 2);
        return (gateway, first, second);
    }

    /// <summary>Issue 12 §5: started on the forged database, the gateway signs nothing (no new witness entry, not even at its stop), is unready, and refuses writes.</summary>
    private static async Task AssertRestartSignsNothingAsync(WitnessedGateway stopped)
    {
        var witnessedBefore = stopped.Witnessed().Count;
        var gateway = await stopped.RestartAsync();
        try
        {
            using var probe = HealthProbe.For(gateway);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/live")).StatusCode);
            using var psw = gateway.ClientFor(GatewayFixture.Psw);
            var write = await psw.PostNativeAsync(ReferralSamples.Native());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
            Assert.Contains("integrity", await write.Content.ReadAsStringAsync());
            using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await operatorClient.PostAsync("/operator/audit/checkpoints", null)).StatusCode);
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("Audit trail integrity check failed"));
            // The operator's verification (GET /operator/audit/verify) compares with the witness as rx does.
            var (status, report) = await AuditClient.VerifyAsync(gateway);
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.False(report["isIntact"]!.GetValue<bool>());
            await gateway.StopAsync();
            Assert.Equal(witnessedBefore, gateway.Witnessed().Count);
        }
        finally
        {
            gateway.DeleteFolder();
        }
    }
}
