using Microsoft.EntityFrameworkCore;
using ReferralExchange.Cli;
using ReferralExchange.IntegrationTests.Infrastructure;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.IntegrationTests.AuditLog;

/// <summary>
/// <c>rx audit witness</c> as a partner runs it (ADR 0011): it accepts a log that only grows, and a
/// log rewritten or shortened behind its back cannot prove consistency with the checkpoint it kept —
/// even when the gateway, trusting its database, signs a fresh checkpoint over the forgery.
/// </summary>
public sealed class PartnerWitnessTests
{
    [Fact]
    public async Task Witness_GrowingLog_AcceptsEachCheckpoint()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var state = Path.Combine(gateway.RootDirectory, "witness");
        await gateway.GenerateTrafficAsync(1);
        await gateway.CheckpointAsync();

        var (firstExit, firstOutput) = await WitnessAsync(gateway, state);
        await gateway.GenerateTrafficAsync(1);
        await gateway.CheckpointAsync();
        var (secondExit, secondOutput) = await WitnessAsync(gateway, state);

        Assert.True(firstExit == 0, firstOutput);
        Assert.StartsWith("WITNESSED: first checkpoint", firstOutput);
        Assert.Equal(0, secondExit);
        Assert.StartsWith("WITNESSED: consistent", secondOutput);
        Assert.True(File.Exists(Path.Combine(state, "checkpoint")));
    }

    [Fact]
    public async Task Witness_LogRewrittenAndResigned_FailsTheConsistencyProof_ExitTwo()
    {
        var gateway = await WitnessedGateway.StartAsync(null, FixedOrigin);
        try
        {
            var state = Path.Combine(gateway.RootDirectory, "witness");
            await gateway.GenerateTrafficAsync(2);
            await gateway.CheckpointAsync();
            Assert.Equal(0, (await WitnessAsync(gateway, state)).Exit);
            var witnessed = await File.ReadAllTextAsync(Path.Combine(state, "checkpoint"));
            await gateway.StopAsync();

            // The attacker owns the whole host: the database and the gateway's own witness folder
            // (ADR 0013's threat model: only a witness they cannot reach still holds). Rewrite who read
            // record 3, re-chain every record after it, rebuild the Merkle tree over the forged records,
            // wipe the host's witness, and let a restarted gateway, which now sees a consistent log, sign on top.
            var tamper = new AuditTampering(gateway);
            tamper.DropProtections();
            var reader = AuditLogFile.FirstRecord(gateway, $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}'");
            tamper.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = CAST(REPLACE(CAST(\"Payload\" AS TEXT), 'bh-riverside', 'va-central') AS BLOB), \"PartnerId\" = 'va-central' WHERE \"Sequence\" = @s", ("@s", reader));
            new ChainForgery(gateway.DatabasePath).RewriteFrom(reader);
            tamper.Execute("DELETE FROM \"AuditTreeNodes\"");
            tamper.Execute("DELETE FROM \"AuditCheckpoints\"");
            await RebuildTreeAsync(gateway);
            new ChainForgery(gateway.DatabasePath).RestoreTriggers();
            Directory.Delete(gateway.WitnessDirectory, recursive: true);
            gateway = await WitnessedGateway.StartAsync(gateway.RootDirectory, FixedOrigin);
            await gateway.GenerateTrafficAsync(1);
            await gateway.CheckpointAsync();

            var (exit, output) = await WitnessAsync(gateway, state);

            Assert.Equal(2, exit);
            Assert.StartsWith("INCONSISTENT:", output);
            Assert.Contains("not consistent with the witnessed tree", output);
            // The witness keeps what it had: the forged checkpoint is not stored.
            Assert.Equal(witnessed, await File.ReadAllTextAsync(Path.Combine(state, "checkpoint")));
        }
        finally
        {
            await gateway.StopAsync();
            gateway.DeleteFolder();
        }
    }

    [Fact]
    public async Task Witness_LogShortenedAndResigned_ExitTwoNamingTheShrink()
    {
        var gateway = await WitnessedGateway.StartAsync(null, FixedOrigin);
        try
        {
            var state = Path.Combine(gateway.RootDirectory, "witness");
            await gateway.GenerateTrafficAsync(2);
            var size = await gateway.CheckpointAsync();
            Assert.Equal(0, (await WitnessAsync(gateway, state)).Exit);
            await gateway.StopAsync();

            var tamper = new AuditTampering(gateway);
            tamper.DropProtections();
            var keep = size / 2;
            tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" > @k", ("@k", keep));
            tamper.Execute("DELETE FROM \"AuditTreeNodes\" WHERE ((\"NodeIndex\" + 1) << \"Level\") > @k", ("@k", keep));
            tamper.Execute("DELETE FROM \"AuditCheckpoints\"");
            new ChainForgery(gateway.DatabasePath).RestoreTriggers();
            Directory.Delete(gateway.WitnessDirectory, recursive: true);
            gateway = await WitnessedGateway.StartAsync(gateway.RootDirectory, FixedOrigin);
            await gateway.CheckpointAsync();

            var (exit, output) = await WitnessAsync(gateway, state);

            Assert.Equal(2, exit);
            Assert.Contains("the log shrank", output);
        }
        finally
        {
            await gateway.StopAsync();
            gateway.DeleteFolder();
        }
    }

    // The test gateway listens on a fresh port each start; a deployment's origin is its stable public name.
    private static readonly KeyValuePair<string, string?> FixedOrigin = new("Gateway:Audit:CheckpointOrigin", "rx.test.example/audit");

    private static async Task RebuildTreeAsync(GatewayFixture gateway)
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        options.UseGatewaySqlite(gateway.DatabasePath);
        await using var db = new GatewayDbContext(options.Options);
        await AuditTreeBackfill.RunAsync(db, CancellationToken.None);
    }

    private static async Task<(int Exit, string Output)> WitnessAsync(GatewayFixture gateway, string state)
    {
        var writer = new StringWriter();
        var exit = await CliApp.RunAsync([
            "audit", "witness", "--url", gateway.BaseAddress.ToString(), "--state", state,
            "--public-key", AuditLogFile.WritePublicKey(gateway),
            "--client-certificate", gateway.Certificates.ClientPfxPath(GatewayFixture.Housing),
            "--ca", gateway.Certificates.CaCertificatePath,
        ], writer);
        return (exit, writer.ToString());
    }
}
