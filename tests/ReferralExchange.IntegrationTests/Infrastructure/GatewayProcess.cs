using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Outbound;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>The built gateway run as its own process, as an operator runs it (<c>dotnet ReferralExchange.Gateway.dll</c>).</summary>
public static class GatewayProcess
{
    /// <summary>The gateway's output folder for this test build's configuration and framework.</summary>
    public static string BinaryDirectory
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var root = testBin;
            while (!File.Exists(Path.Combine(root.FullName, "ReferralExchange.sln")))
            {
                root = root.Parent ?? throw new InvalidOperationException("repository root not found");
            }
            return Path.Combine(root.FullName, "src", "ReferralExchange.Gateway", "bin", testBin.Parent!.Name, testBin.Name);
        }
    }

    /// <param name="runAs">An OS user to run as (through runuser, when the tests run as root), or null.</param>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> settings, string? runAs = null)
    {
        var environment = new Dictionary<string, string>(settings);
        // The first submission of a fresh process waits for the validator's warm-up (ADR 0026), which
        // on two shared cores under the parallel test run has taken more than the production 30 s
        // request bound (a 503 before the test began). The tests of that bound set their own.
        environment.TryAdd("Gateway__RequestTimeout", "00:02:00");
        var dll = Path.Combine(BinaryDirectory, "ReferralExchange.Gateway.dll");
        var start = runAs is null
            ? new ProcessStartInfo("dotnet", [dll])
            : new ProcessStartInfo("runuser", ["-u", runAs, "--", "env", .. environment.Select(kv => $"{kv.Key}={kv.Value}"), "HOME=/tmp", "dotnet", dll]);
        start.WorkingDirectory = BinaryDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>Starts the gateway and drains its output (kept, for the test to read) so it never blocks on a full pipe.</summary>
    public static (Process Process, System.Collections.Concurrent.ConcurrentQueue<string> Lines) Start(IReadOnlyDictionary<string, string> environment)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = Process.Start(StartInfo(environment))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, lines);
    }

    /// <summary>Runs the gateway until it exits (at most <paramref name="limit"/>); its exit code and every line of stdout and stderr.</summary>
    public static async Task<(int Exit, IReadOnlyList<string> Lines)> RunToExitAsync(IReadOnlyDictionary<string, string> environment, TimeSpan limit, string? runAs = null)
    {
        using var process = Process.Start(StartInfo(environment, runAs))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The gateway kept running: it did not refuse to start");
        }
        var lines = (await output + "\n" + await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, lines);
    }

    /// <summary>SIGTERM, as a service manager stops a service.</summary>
    public static void Terminate(Process process) => Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>A partner client once the gateway answers (it creates its certificates on first start).</summary>
    public static async Task<HttpClient> ReadyClientAsync(string root, int port, string partner)
    {
        var files = new DevCertificateFiles(Path.Combine(root, "certs"));
        // A fresh process builds and warms Firely's validator before it listens (ADR 0016: about 15 s of
        // CPU); on a shared 2-core machine at load 30 that took more than 90 s of wall time.
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (true)
        {
            try
            {
                var client = Client(files, port, partner);
                using var probe = await client.GetAsync("/fhir/metadata");
                if (probe.IsSuccessStatusCode)
                {
                    return client;
                }
                client.Dispose();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Security.Cryptography.CryptographicException or TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The gateway did not come up");
            }
            await Task.Delay(250);
        }
    }

    private static HttpClient Client(DevCertificateFiles files, int port, string partner)
    {
        var certificate = files.LoadClient(partner);
        var ca = files.LoadCaPublic();
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = new X509CertificateCollection { certificate },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
            },
        };
        return new HttpClient(new ClientCredentialsHandler(partner) { InnerHandler = handler })
        {
            BaseAddress = new Uri($"https://localhost:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
