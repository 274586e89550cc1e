using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// Production mode (<c>DevelopmentCertificates=false</c>) refuses to run with what only development
/// may have: a CA private key where the gateway reads its certificates (finding 10), or no public
/// base URL (finding 6). The gateway is started as its own process, as an operator would: the
/// refusal is one log line and a non-zero exit code.
/// </summary>
public sealed class ProductionStartTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-prod-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly DevCertificateFiles _files;

    public ProductionStartTests()
    {
        // An operator's certificates folder: the server PKCS#12 and the partner CA's certificate.
        _files = new DevCertificateFiles(Path.Combine(_root, "certs"));
        _files.EnsureCreated([], ["localhost"], DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task ProductionStart_WithCaKeyInCertificatesDirectory_RefusesWithOneLogLine()
    {
        File.Copy(_files.CaKeyPath, Path.Combine(_files.Directory, "partner-ca.pem"));

        var (exit, lines) = await GatewayProcess.RunToExitAsync(ProductionSettings(), TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        var refusal = Assert.Single(lines, l => l.Contains("refused to start"));
        Assert.Contains("partner-ca.pem", refusal);
        Assert.Contains("Fatal", refusal);
    }

    [Fact]
    public async Task ProductionStart_WithCaKeyNamedCaKey_Refuses()
    {
        File.Copy(_files.CaKeyPath, Path.Combine(_files.Directory, "ca.key"));

        var (exit, lines) = await GatewayProcess.RunToExitAsync(ProductionSettings(), TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains(lines, l => l.Contains("refused to start") && l.Contains("ca.key"));
    }

    [Fact]
    public async Task ProductionStart_WithoutPublicBaseUrl_Refuses()
    {
        var settings = ProductionSettings();
        settings.Remove("Gateway__PublicBaseUrl");

        var (exit, lines) = await GatewayProcess.RunToExitAsync(settings, TimeSpan.FromSeconds(60));

        Assert.NotEqual(0, exit);
        Assert.Contains(lines, l => l.Contains("refused to start") && l.Contains("Gateway:PublicBaseUrl"));
    }

    [Fact]
    public void DevelopmentCertificates_KeepTheCaKeyOutsideTheCertificatesDirectory()
    {
        Assert.True(File.Exists(_files.CaKeyPath));
        Assert.NotEqual(Path.GetFullPath(_files.Directory), Path.GetDirectoryName(Path.GetFullPath(_files.CaKeyPath)));
        Assert.Empty(CaKeyScanner.Find([_files.Directory], [_files.LoadCaPublic()]));
    }

    private Dictionary<string, string> ProductionSettings() => new()
    {
        ["Gateway__DevelopmentCertificates"] = "false",
        ["Gateway__PublicBaseUrl"] = "https://gateway.referral-exchange.test",
        ["Gateway__Port"] = "0",
        ["Gateway__DataDirectory"] = Path.Combine(_root, "data"),
        ["Gateway__CertificatesDirectory"] = _files.Directory,
        ["Gateway__ServerCertificatePath"] = _files.ServerPfxPath,
        ["Gateway__PartnerCaPaths__0"] = _files.CaCertificatePath,
        ["Gateway__Audit__LocalKeyPath"] = Path.Combine(_root, "audit", "audit-signing.key"),
    };

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
        try { Directory.Delete(_files.CaDirectory, recursive: true); } catch (IOException) { }
    }
}
