using System.Diagnostics;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// ADR 0024: outside development the console refuses to start, in one line naming the setting
/// and with a non-zero exit, as the gateway does (issue 13 §6). The real program, as a process.
/// </summary>
public sealed class ConsoleProductionStartTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-prod-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task ProductionStart_WithoutPublicBaseUrl_RefusesInOneLineNamingIt()
    {
        var (exit, stdout, stderr) = await RunAsync();
        Assert.Equal(2, exit);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("Console:PublicBaseUrl is required in production mode", line);
        Assert.DoesNotContain("Console (for people)", stdout);
    }

    [Theory]
    [InlineData("http://console.example.org")]
    [InlineData("https://console.example.org/console")]
    [InlineData("console.example.org")]
    public async Task ProductionStart_WithAPublicBaseUrlThatIsNotAnHttpsOrigin_RefusesInOneLineNamingIt(string url)
    {
        var (exit, _, stderr) = await RunAsync($"--Console:PublicBaseUrl={url}");
        Assert.Equal(2, exit);
        Assert.Contains("Console:PublicBaseUrl must be an absolute https URL", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task ProductionStart_OnAServerDatabaseWithAccountsInALocalFile_RefusesInOneLineNamingTheSetting()
    {
        var (exit, _, stderr) = await RunAsync("--Console:PublicBaseUrl=https://console.example.org",
            "--Gateway:Database:Provider=postgresql", "--Gateway:Database:ConnectionString=Host=db.invalid;Username=rx_gateway");
        Assert.Equal(2, exit);
        Assert.Contains("Console:Database:Provider is required in production mode", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task Start_WithAccountsOnTheExchangesRole_RefusesInOneLine()
    {
        var (exit, _, stderr) = await RunAsync("--Console:PublicBaseUrl=https://console.example.org",
            "--Gateway:Database:Provider=postgresql", "--Gateway:Database:ConnectionString=Host=db.invalid;Username=rx_gateway",
            "--Console:Database:Provider=postgresql", "--Console:Database:ConnectionString=Host=db.invalid;Database=accounts;Username=rx_gateway");
        Assert.Equal(2, exit);
        Assert.Contains("Console:Database:ConnectionString logs in as a role of the exchange's database", Assert.Single(Lines(stderr)));
    }

    /// <summary>The console program (gateway and console) in production mode with nothing else configured.</summary>
    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[typeof(WebConsole.ConsoleProgram).Assembly.Location, "--Gateway:DevelopmentCertificates=false",
            $"--Gateway:DataDirectory={Path.Combine(_root, "data")}", $"--Gateway:CertificatesDirectory={Path.Combine(_root, "certs")}", .. args])
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
