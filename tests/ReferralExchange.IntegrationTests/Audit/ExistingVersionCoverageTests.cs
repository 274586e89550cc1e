using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// <c>rx audit cover-existing</c>, the upgrade step for versions stored before resource coverage
/// (ADR 0012): it covers versions without a hash once, and refuses when coverage has already begun.
/// </summary>
public sealed class ExistingVersionCoverageTests(StoppedGateway trail) : IClassFixture<StoppedGateway>
{
    [Fact]
    public async Task CoverExisting_OnADatabaseWithoutHashes_CoversEveryVersion()
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        new AuditTampering(copy).Execute("UPDATE \"ResourceVersions\" SET \"ContentHash\" = NULL");

        var (exit, output) = await trail.RxAsync(copy, "audit", "cover-existing", "--operator", "alice");
        var (verifyExit, verifyOutput) = await trail.RxAsync(copy, "audit", "verify", "--resources");

        Assert.True(exit == 0, output);
        Assert.StartsWith("Covered ", output);
        Assert.True(verifyExit == 0, verifyOutput);
        Assert.Contains("RESOURCES INTACT", verifyOutput);
    }

    [Fact]
    public async Task CoverExisting_WhenCoverageHadBegun_RefusesToBlessAnAddedVersion()
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        var tamper = new AuditTampering(copy);
        tamper.Execute("UPDATE \"ResourceVersions\" SET \"ContentHash\" = NULL WHERE \"ResourceType\" = 'Task'");
        var head = tamper.Head;

        var (exit, output) = await trail.RxAsync(copy, "audit", "cover-existing");

        Assert.Equal(2, exit);
        Assert.StartsWith("REFUSED", output);
        Assert.Equal(head, tamper.Head);
    }
}
