using System.Diagnostics;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.WebConsole.Hosting;

namespace ReferralExchange.ConsoleTests;

/// <summary>ADR 0024: outside development the console's keys are files shipped to every replica, never made on the spot.</summary>
public sealed class ConsoleKeysTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-keys-" + Guid.NewGuid().ToString("N")[..12]);

    public ConsoleKeysTests() => Directory.CreateDirectory(Path.Combine(_root, "certs"));

    [Fact]
    public void Production_WithoutTheSigningKeyFile_RefusesNamingTheSettingAndMakesNone()
    {
        var refused = Assert.Throws<GatewayStartupException>(() => ConsoleKeys.Load(new ConsoleOptions(), Paths(), development: false));
        Assert.Contains("Console:SigningKeyPath", refused.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "certs")));
    }

    [Fact]
    public void Production_WithoutADataProtectionCertificate_RefusesNamingTheSetting()
    {
        Write();
        var refused = Assert.Throws<GatewayStartupException>(() => ConsoleKeys.Load(new ConsoleOptions(), Paths(), development: false));
        Assert.Contains("Console:DataProtection:CertificatePath", refused.Message);
    }

    [Fact]
    public void Production_WithTheFilesDeployPrepareMakes_LoadsThemWithTheSameKeyIdsEachTime()
    {
        Write();
        var options = new ConsoleOptions { DataProtection = { CertificatePath = Path.Combine(_root, "certs", "dp.pfx"), CertificatePassword = "dp-pass" } };
        var first = ConsoleKeys.Load(options, Paths(), development: false);
        var again = ConsoleKeys.Load(options, Paths(), development: false);
        Assert.Equal(first.Signing.KeyId, again.Signing.KeyId);
        Assert.Equal(first.Encryption.KeyId, again.Encryption.KeyId);
        Assert.NotNull(first.DataProtection);
    }

    /// <summary>The same commands as deploy/prepare.sh.</summary>
    private void Write()
    {
        var certs = Path.Combine(_root, "certs");
        File.WriteAllText(Path.Combine(certs, ConsoleKeys.SigningFile), OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
        File.WriteAllText(Path.Combine(certs, ConsoleKeys.EncryptionFile), OpenSsl("rand", "-base64", "32"));
        OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=dp", "-keyout", Path.Combine(_root, "key.pem"), "-out", Path.Combine(_root, "cert.pem"));
        OpenSsl("pkcs12", "-export", "-in", Path.Combine(_root, "cert.pem"), "-inkey", Path.Combine(_root, "key.pem"), "-out", Path.Combine(certs, "dp.pfx"), "-passout", "pass:dp-pass");
    }

    private GatewayPaths Paths() => new(AppContext.BaseDirectory, new GatewayOptions { DataDirectory = Path.Combine(_root, "data"), CertificatesDirectory = Path.Combine(_root, "certs") });

    private static string OpenSsl(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
