using Microsoft.Data.Sqlite;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 13 §6, clean start: each configuration or environment problem stops the real gateway
/// process with one line naming the problem and the setting, and a non-zero exit code; no
/// unhandled-exception dump, no SIGABRT (exit 134).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and users: POSIX
public sealed class StartupFailureTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-start-" + Guid.NewGuid().ToString("N")[..12]);

    public StartupFailureTests() => Directory.CreateDirectory(_root);

    [Fact]
    public async Task Start_DataPathUnderAFile_RefusesNamingDataDirectory()
    {
        var blocker = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");

        await AssertRefusedAsync(Settings(dataDirectory: Path.Combine(blocker, "data")), "Gateway:DataDirectory");
    }

    [Fact]
    public async Task Start_DataDirectoryNotWritable_RefusesNamingDataDirectory()
    {
        // Root writes anywhere: run as an unprivileged user when the tests run as root.
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        OpenUp(_root);

        await AssertRefusedAsync(Settings(dataDirectory: data), "Gateway:DataDirectory", runAs: IsRoot ? "nobody" : null);
    }

    [Fact]
    public async Task Start_ReadOnlyDatabase_RefusesNamingTheDatabaseSettings()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        var database = Path.Combine(data, "referral-exchange.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (IsRoot)
        {
            // The folder is the unprivileged user's; the database file stays root's, readable only.
            System.Diagnostics.Process.Start("chown", ["nobody", data])!.WaitForExit();
        }
        OpenUp(_root);

        var line = await AssertRefusedAsync(Settings(dataDirectory: data), "Gateway:DatabaseFile", runAs: IsRoot ? "nobody" : null);
        Assert.Contains("read-only", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseThatIsNotADatabase_RefusesNamingTheDatabaseSettings()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "referral-exchange.db"), new string('x', 8192));

        var line = await AssertRefusedAsync(Settings(dataDirectory: data), "Gateway:DatabaseFile");
        Assert.Contains("migrated", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MissingServerCertificate_RefusesNamingTheCertificateSetting()
    {
        var settings = Settings();
        settings["Gateway__DevelopmentCertificates"] = "false";
        settings["Gateway__PublicBaseUrl"] = "https://gateway.referral-exchange.test";
        settings["Gateway__ServerCertificatePath"] = Path.Combine(_root, "missing", "server.pfx");
        settings["Gateway__PartnerCaPaths__0"] = Path.Combine(_root, "missing", "partner-ca.pem");

        var line = await AssertRefusedAsync(settings, "Gateway:ServerCertificatePath");
        Assert.Contains("server.pfx", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_BadPartnersFile_RefusesNamingPartnersFile()
    {
        var partners = Path.Combine(_root, "partners.json");
        await File.WriteAllTextAsync(partners, "{ \"partners\": [ { \"id\": ");
        var settings = Settings();
        settings["Gateway__PartnersFile"] = partners;

        await AssertRefusedAsync(settings, "Gateway:PartnersFile");
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Dictionary<string, string> Settings(string? dataDirectory = null) => new()
    {
        ["Gateway__Port"] = "0",
        ["Gateway__DataDirectory"] = dataDirectory ?? Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = Path.Combine(_root, "certs"),
        ["Gateway__DevelopmentCaDirectory"] = Path.Combine(_root, "ca"),
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "audit-signing.key"),
    };

    /// <returns>The refusal line.</returns>
    private static async Task<string> AssertRefusedAsync(Dictionary<string, string> settings, string setting, string? runAs = null)
    {
        var (exit, lines) = await GatewayProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(90), runAs);

        Assert.True(exit is not 0 and not 134, $"exit code {exit}: {string.Join(" / ", lines)}");
        Assert.DoesNotContain(lines, l => l.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase));
        var refusal = Assert.Single(lines, l => l.Contains("refused to start", StringComparison.Ordinal));
        Assert.Contains(setting, refusal, StringComparison.Ordinal);
        return refusal;
    }

    /// <summary>Gives the test folder itself (not what is in it) to the unprivileged user, so certificates and keys can be created there.</summary>
    private static void OpenUp(string path)
    {
        if (IsRoot)
        {
            System.Diagnostics.Process.Start("chown", ["nobody", path])!.WaitForExit();
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
