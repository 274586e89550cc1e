using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Issue 12 §2: the gateway refuses to start when it cannot write to its witness, with one log line
/// naming the setting and a non-zero exit. Run as its own process. Tests run as root, who can write
/// anywhere, so the witness path is made unwritable by putting it under a regular file.
/// </summary>
public sealed class WitnessStartTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-wstart-" + Guid.NewGuid().ToString("N")[..12]);

    public WitnessStartTests()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "not-a-directory"), "a regular file");
    }

    [Fact]
    public async Task Start_ConfiguredWitnessDirectoryUnwritable_RefusesWithOneLineNamingTheSetting()
    {
        var settings = DevelopmentSettings();
        settings["Gateway__Audit__Witnesses__0__Type"] = "Directory";
        settings["Gateway__Audit__Witnesses__0__Path"] = Path.Combine(_root, "not-a-directory", "witness");

        var (exit, lines) = await GatewayProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var refusal = Assert.Single(lines, l => l.Contains("refused to start"));
        Assert.Contains("Gateway:Audit:Witnesses:0", refusal);
        Assert.Contains("not writable", refusal);
    }

    [Fact]
    public async Task Start_DefaultWitnessDirectoryUnwritable_RefusesNamingTheDefault()
    {
        // The default witness is audit-witness beside the data directory.
        File.WriteAllText(Path.Combine(_root, "audit-witness"), "a regular file where the witness directory goes");

        var (exit, lines) = await GatewayProcess.RunToExitAsync(DevelopmentSettings(), TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var refusal = Assert.Single(lines, l => l.Contains("refused to start"));
        Assert.Contains("default audit witness directory", refusal);
        Assert.Contains("Gateway:Audit:Witnesses:0:Path", refusal);
    }

    private Dictionary<string, string> DevelopmentSettings() => new()
    {
        ["Gateway__Port"] = "0",
        ["Gateway__DataDirectory"] = Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "certs", "audit-signing.key"),
    };

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
