using ReferralExchange.Cli;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary><c>rx audit verify</c> against a real gateway's database and checkpoint key.</summary>
public sealed class AuditCliTests
{
    [Fact]
    public async Task Verify_IntactTrail_ExitsZeroAndSaysIntact()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        await gateway.GenerateTrafficAsync();
        await gateway.CheckpointAsync();

        var (exit, output) = await RunAsync(gateway, "audit", "verify");

        Assert.Equal(0, exit);
        Assert.StartsWith("INTACT", output);
    }

    [Fact]
    public async Task Verify_TamperedTrail_ExitsTwoNamingTheRecord()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 5");

        var (exit, output) = await RunAsync(gateway, "audit", "verify");

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 5", output);
    }

    [Fact]
    public async Task Verify_WithoutTheCheckpointKey_RefusesToGuess()
    {
        await using var gateway = await OwnedGateway.StartAsync();

        var writer = new StringWriter();
        var exit = await CliApp.RunAsync(["audit", "verify", "--database", gateway.DatabasePath, "--signing-key", "/nonexistent/key.pem"], writer);

        Assert.Equal(1, exit);
    }

    private static async Task<(int Exit, string Output)> RunAsync(GatewayFixture gateway, params string[] args)
    {
        var writer = new StringWriter();
        var exit = await CliApp.RunAsync([.. args, "--database", gateway.DatabasePath, "--signing-key", Path.Combine(gateway.RootDirectory, "certs", "audit-signing.key")], writer);
        return (exit, writer.ToString());
    }

}
