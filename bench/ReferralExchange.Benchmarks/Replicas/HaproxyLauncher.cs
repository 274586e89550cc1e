using System.Diagnostics;
using ReferralExchange.Benchmarks.Seeding;
using ReferralExchange.Infrastructure.Certificates;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary>
/// Debian's haproxy running the checked-in <c>deploy/haproxy/haproxy.cfg</c> unchanged (TCP
/// passthrough, mutual-TLS health checks; ADR 0020), its deployment settings as environment
/// variables, as the integration tests' HaproxyProcess does. Its log goes to a file.
/// </summary>
public sealed class HaproxyLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private HaproxyLauncher(Process process, StreamWriter log) => (_process, _log) = (process, log);

    public int Id => _process.Id;

    public static HaproxyLauncher Start(DevCertificateFiles certificates, string probePartner, string folder, int port, IReadOnlyList<int> gatewayPorts)
    {
        var binary = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("haproxy is not installed: apt-get install -y haproxy");
        Directory.CreateDirectory(folder);
        var probe = Path.Combine(folder, "probe.pem");
        File.WriteAllText(probe, File.ReadAllText(certificates.ClientCertificatePath(probePartner)).TrimEnd() + "\n" +
            File.ReadAllText(certificates.ClientKeyPath(probePartner)).TrimEnd() + "\n");
        var start = new ProcessStartInfo(binary, ["-db", "-f", Path.Combine(RepositoryPaths.Root, "deploy", "haproxy", "haproxy.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["RX_LB_BIND"] = $"127.0.0.1:{port}";
        for (var i = 0; i < gatewayPorts.Count; i++) start.Environment[$"RX_GATEWAY_{i + 1}"] = $"127.0.0.1:{gatewayPorts[i]}";
        start.Environment["RX_CHECK_CA"] = certificates.CaCertificatePath;
        start.Environment["RX_CHECK_CERT"] = probe;
        start.Environment["RX_CHECK_HOST"] = "localhost";
        var log = new StreamWriter(Path.Combine(folder, "haproxy.log"), append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("haproxy could not be started");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new HaproxyLauncher(process, log);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        await _log.DisposeAsync();
    }
}
