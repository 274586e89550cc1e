using System.Diagnostics;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>The built gateway run as its own process, as an operator starts it: for start-up refusals (one log line, non-zero exit).</summary>
public static class GatewayProcess
{
    /// <summary>Runs the gateway (its own output folder, beside this test's configuration) until it exits, at most 60 s.</summary>
    public static async Task<(int Exit, IReadOnlyList<string> Lines)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name; // bin/<Configuration>/<framework>
        var root = testBin;
        while (!File.Exists(Path.Combine(root.FullName, "ReferralExchange.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }
        var gatewayBin = Path.Combine(root.FullName, "src", "ReferralExchange.Gateway", "bin", configuration, testBin.Name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(gatewayBin, "ReferralExchange.Gateway.dll")])
        {
            WorkingDirectory = gatewayBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The gateway kept running: it did not refuse to start");
        }
        var lines = (await output + await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, lines);
    }
}
