using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// The audit tables' append-only triggers can be dropped by anyone with the file (issue 12). That is
/// reported as tampering by <c>rx audit verify</c>, the gateway refuses to start on it, and only an
/// operator's <c>rx audit repair-triggers</c> puts them back (ADR 0012). Each test damages its own
/// copy of one stopped gateway's database.
/// </summary>
public sealed class AppendOnlyTriggerTests(StoppedGateway trail) : IClassFixture<StoppedGateway>
{
    [Theory]
    [InlineData("AuditRecords_no_delete")]
    [InlineData("AuditRecords_extends_chain")] // the insert guard that replaced the PreviousHash index (ADR 0031)
    public async Task Verify_TriggerDropped_ReportsTamperingAndExitsTwo(string trigger)
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        new AuditTampering(copy).Execute($"DROP TRIGGER \"{trigger}\"");

        var (exit, output) = await trail.RxAsync(copy, "audit", "verify");

        Assert.Equal(2, exit);
        Assert.StartsWith("INTACT", output);
        Assert.Contains($"TAMPERED: append-only trigger {trigger} is missing", output);
    }

    [Fact]
    public async Task Verify_TriggerReplacedByOneThatAllowsEverything_ReportsItChanged()
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        new AuditTampering(copy).Execute("""
            DROP TRIGGER "AuditRecords_no_update";
            CREATE TRIGGER "AuditRecords_no_update" BEFORE UPDATE ON "AuditRecords" BEGIN SELECT 1; END;
            """);

        var (exit, output) = await trail.RxAsync(copy, "audit", "verify");

        Assert.Equal(2, exit);
        Assert.Contains("TAMPERED: append-only trigger AuditRecords_no_update differs from its definition", output);
    }

    [Fact]
    public async Task Verify_ExtraTriggerOnAnAuditTable_IsReported()
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        new AuditTampering(copy).Execute("""CREATE TRIGGER "sneaky" AFTER INSERT ON "AuditCheckpoints" BEGIN SELECT 1; END;""");

        var (exit, output) = await trail.RxAsync(copy, "audit", "verify");

        Assert.Equal(2, exit);
        Assert.Contains("TAMPERED: unexpected trigger sneaky on AuditCheckpoints", output);
    }

    [Fact]
    public async Task Start_WithATriggerDropped_RefusesWithOneLogLine()
    {
        var root = trail.CopyRoot();
        new AuditTampering(Path.Combine(root, "data", "referral-exchange.db")).Execute("DROP TRIGGER \"AuditCheckpoints_no_delete\"");

        var (exit, lines) = await GatewayProcess.RunToExitAsync(DevelopmentSettings(root), TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var refusal = Assert.Single(lines, l => l.Contains("refused to start"));
        Assert.Contains("AuditCheckpoints_no_delete is missing", refusal);
        Assert.Contains("rx audit repair-triggers", refusal);
    }

    [Fact]
    public async Task RepairTriggers_AfterADrop_RestoresProtectionAndIsAudited()
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        var tamper = new AuditTampering(copy);
        tamper.DropProtections();
        var before = tamper.Head;

        var (repairExit, repairOutput) = await trail.RxAsync(copy, "audit", "repair-triggers", "--operator", "alice");
        var (verifyExit, verifyOutput) = await trail.RxAsync(copy, "audit", "verify");

        Assert.Equal(0, repairExit);
        Assert.Contains("REPAIRED: append-only trigger AuditRecords_no_update is missing", repairOutput);
        Assert.True(verifyExit == 0, verifyOutput);
        Assert.DoesNotContain("TAMPERED", verifyOutput);
        Assert.Equal(before + 1, tamper.Head);
        Assert.Equal("operator:alice", tamper.Scalar<string>("SELECT \"PartnerId\" FROM \"AuditRecords\" WHERE \"Action\" = 'repair-triggers'"));
        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 1"));
    }

    [Fact]
    public async Task Start_AfterRepair_ServesAgain()
    {
        var root = trail.CopyRoot();
        var database = Path.Combine(root, "data", "referral-exchange.db");
        new AuditTampering(database).DropProtections();
        Assert.Equal(0, (await trail.RxAsync(database, "audit", "repair-triggers")).Exit);

        await using var gateway = new GatewayOn(root);
        await gateway.InitializeAsync();
        using var psw = gateway.ClientFor(GatewayFixture.Psw);

        Assert.Equal(HttpStatusCode.OK, (await psw.GetAsync("/fhir/metadata")).StatusCode);
    }

    private static Dictionary<string, string> DevelopmentSettings(string root) => new()
    {
        ["Gateway__DevelopmentCertificates"] = "true",
        ["Gateway__Port"] = "0",
        ["Gateway__DataDirectory"] = Path.Combine(root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(root, "certs"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(root, "certs", "audit-signing.key"),
    };

    private sealed class GatewayOn(string root) : GatewayFixture(root), IAsyncDisposable
    {
        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
