using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// The development certificate folder (<c>certs-dev/</c>): created on first run, reused after.
/// Public certificates are <c>*.crt</c>; private keys (<c>*.key</c>, <c>*.pfx</c>) are git-ignored.
/// </summary>
public sealed class DevCertificateFiles(string directory)
{
    public string Directory { get; } = directory;

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");
    public string CaKeyPath => Path.Combine(Directory, "ca.key");
    public string ServerPfxPath => Path.Combine(Directory, "server.pfx");
    public string CrlPath => Path.Combine(Directory, "ca.crl");
    public string ClientCertificatePath(string partnerId) => Path.Combine(Directory, $"{partnerId}.crt");
    public string ClientKeyPath(string partnerId) => Path.Combine(Directory, $"{partnerId}.key");
    public string ClientPfxPath(string partnerId) => Path.Combine(Directory, $"{partnerId}.pfx");

    /// <summary>Creates whatever is missing: the CA, the server certificate, one client certificate per partner.</summary>
    public void EnsureCreated(IEnumerable<string> partnerIds, IEnumerable<string> serverHosts, DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        using var ca = LoadOrCreateCa(now);
        if (!File.Exists(ServerPfxPath))
        {
            using var server = ca.IssueServer(serverHosts, now);
            WritePair(server, Path.Combine(Directory, "server.crt"), Path.Combine(Directory, "server.key"), ServerPfxPath);
        }
        foreach (var partnerId in partnerIds)
        {
            if (!File.Exists(ClientPfxPath(partnerId)))
            {
                using var client = ca.IssueClient(partnerId, now.AddDays(-1), now.AddYears(1));
                WritePair(client, ClientCertificatePath(partnerId), ClientKeyPath(partnerId), ClientPfxPath(partnerId));
            }
        }
    }

    public DevCertificateAuthority LoadCa() =>
        DevCertificateAuthority.FromPem(File.ReadAllText(CaCertificatePath), File.ReadAllText(CaKeyPath));

    public X509Certificate2 LoadCaPublic() => X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath);

    public X509Certificate2 LoadServer() => X509CertificateLoader.LoadPkcs12FromFile(ServerPfxPath, password: null);

    public X509Certificate2 LoadClient(string partnerId) => X509CertificateLoader.LoadPkcs12FromFile(ClientPfxPath(partnerId), password: null);

    public X509Certificate2 LoadClientPublic(string partnerId) => X509CertificateLoader.LoadCertificateFromFile(ClientCertificatePath(partnerId));

    private DevCertificateAuthority LoadOrCreateCa(DateTimeOffset now)
    {
        if (File.Exists(CaCertificatePath) && File.Exists(CaKeyPath))
        {
            return LoadCa();
        }
        var ca = DevCertificateAuthority.Create("Referral Exchange Development Partner CA", now);
        File.WriteAllText(CaCertificatePath, ca.Certificate.ExportCertificatePem());
        WritePrivate(CaKeyPath, ca.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return ca;
    }

    /// <summary>Writes the certificate as PEM, the key as PKCS#8 PEM (for curl) and both as PKCS#12 (for .NET).</summary>
    public static void WritePair(X509Certificate2 certificate, string crtPath, string keyPath, string pfxPath)
    {
        File.WriteAllText(crtPath, certificate.ExportCertificatePem());
        WritePrivate(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(pfxPath, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(pfxPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
