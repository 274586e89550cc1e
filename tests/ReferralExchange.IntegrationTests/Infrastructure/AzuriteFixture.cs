using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// Azurite's blob service (the Azure Storage emulator, npm <c>azurite</c>) on a free loopback port,
/// its data in a temporary folder, for one test class. It is looked for in
/// <see cref="InstallDirectory"/> (<c>.ci/run</c> installs it there) and installed there with npm
/// if missing; a machine without node or npm fails the tests that need it, loudly.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string Version = "3.37.0";
    // Azurite's well-known development account (public, documented by Microsoft; not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "rx-azurite-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? _process;

    public static string InstallDirectory => Environment.GetEnvironmentVariable("RX_AZURITE_DIR")
        ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "referral-exchange", "azurite");

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var main = Path.Combine(InstallDirectory, "node_modules", "azurite", "dist", "src", "blob", "main.js");
        if (!File.Exists(main))
        {
            await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--prefix", InstallDirectory, $"azurite@{Version}"]);
        }
        if (!File.Exists(main))
        {
            throw new InvalidOperationException($"Azurite is not installed at {InstallDirectory} and npm could not install it");
        }
        Directory.CreateDirectory(_data);
        var port = FreePort();
        _process = Process.Start(new ProcessStartInfo("node", [main, "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", _data, "--silent", "--skipApiVersionCheck", "--loose"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node could not be started");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitForPortAsync(port);
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    private async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode} before listening");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"Azurite did not listen on port {port} within 60 s");
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        Directory.CreateDirectory(InstallDirectory);
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
