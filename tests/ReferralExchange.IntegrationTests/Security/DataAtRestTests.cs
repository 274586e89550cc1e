using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// Finding 3: person data at rest is the gateway's OS user's alone. After the first start the data
/// directory is 0700 and the database, its WAL and its shared-memory file 0600; a mode loosened
/// later is named in a warning at the next start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataAtRestTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void FirstStart_DataDirectory_IsOwnerOnly()
    {
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(gateway.DatabasePath)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-wal")]
    [InlineData("-shm")]
    public async Task FirstStart_DatabaseFiles_AreOwnerOnly(string suffix)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        await psw.SubmitReferralAsync(ReferralSamples.Native());
        var path = gateway.DatabasePath + suffix;

        Assert.True(File.Exists(path), $"{Path.GetFileName(path)} exists");
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Restart_WithLoosenedDatabaseFile_WarnsNamingIt()
    {
        var first = new RestartableGateway(null) { DeleteOnDispose = false };
        await first.InitializeAsync();
        await first.DisposeAsync();
        File.SetUnixFileMode(first.DatabasePath, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var second = new RestartableGateway(first.RootDirectory);
        await second.InitializeAsync();
        try
        {
            Assert.Contains(second.Logs.Lines, line => line.Contains("accessible to other OS users") && line.Contains("referral-exchange.db") && line.Contains("0644"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    private sealed class RestartableGateway(string? root) : GatewayFixture(root);
}
