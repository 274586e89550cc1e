using System.Collections.Concurrent;
using System.Diagnostics;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// HAProxy from Debian's package running the checked-in <c>deploy/haproxy/haproxy.cfg</c> (the API)
/// or <c>haproxy-console.cfg</c> (the people's console, ADR 0024) unchanged, its deployment settings
/// given as environment variables (ADR 0020). Also linked into the console tests. No haproxy binary fails the
/// test, loudly: .ci/run installs it.
/// </summary>
public sealed class HaproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private HaproxyProcess(Process process, string folder, int port, ConcurrentQueue<string> lines)
    {
        _process = process;
        _folder = folder;
        Port = port;
        Lines = lines;
    }

    public int Port { get; }
    public ConcurrentQueue<string> Lines { get; }

    public static string ConfigPath => Config("haproxy.cfg");

    public static string Config(string file)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ReferralExchange.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("repository root not found");
        }
        return Path.Combine(root.FullName, "deploy", "haproxy", file);
    }

    /// <param name="probePartner">The registered partner whose certificate the health check presents.</param>
    public static HaproxyProcess Start(DevCertificateFiles certificates, string probePartner, int port, params int[] gatewayPorts)
    {
        var folder = NewFolder();
        // The probe's PEM: the registered certificate and its key, as the partner's own files hold them.
        File.Copy(certificates.CaCertificatePath, Path.Combine(folder, "ca.pem"));
        File.WriteAllText(Path.Combine(folder, "probe.pem"),
            File.ReadAllText(certificates.ClientCertificatePath(probePartner)).TrimEnd() + "\n" + File.ReadAllText(certificates.ClientKeyPath(probePartner)).TrimEnd() + "\n");

        var start = Command(ConfigPath, folder);
        start.Environment["RX_LB_BIND"] = $"127.0.0.1:{port}";
        for (var i = 0; i < gatewayPorts.Length; i++)
        {
            start.Environment[$"RX_GATEWAY_{i + 1}"] = $"127.0.0.1:{gatewayPorts[i]}";
        }
        start.Environment["RX_CHECK_CA"] = Path.Combine(folder, "ca.pem");
        start.Environment["RX_CHECK_CERT"] = Path.Combine(folder, "probe.pem");
        start.Environment["RX_CHECK_HOST"] = "localhost";
        return Launch(start, folder, port);
    }

    /// <summary>The console's balancer (server TLS passed through; its check presents no client certificate).</summary>
    public static HaproxyProcess StartConsole(DevCertificateFiles certificates, int port, params int[] consolePorts)
    {
        var folder = NewFolder();
        File.Copy(certificates.CaCertificatePath, Path.Combine(folder, "ca.pem"));
        var start = Command(Config("haproxy-console.cfg"), folder);
        start.Environment["RX_CONSOLE_LB_BIND"] = $"127.0.0.1:{port}";
        for (var i = 0; i < consolePorts.Length; i++)
        {
            start.Environment[$"RX_CONSOLE_{i + 1}"] = $"127.0.0.1:{consolePorts[i]}";
        }
        start.Environment["RX_CHECK_CA"] = Path.Combine(folder, "ca.pem");
        start.Environment["RX_CHECK_HOST"] = "localhost";
        return Launch(start, folder, port);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rx-lb-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static ProcessStartInfo Command(string config, string folder)
    {
        var binary = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed: apt-get install -y haproxy (.ci/run does)");
        return new ProcessStartInfo(binary, ["-db", "-f", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
    }

    private static HaproxyProcess Launch(ProcessStartInfo start, string folder, int port)
    {
        var lines = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException("haproxy could not be started");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HaproxyProcess(process, folder, port, lines);
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
