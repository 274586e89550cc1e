using System.Security.Cryptography.X509Certificates;

namespace ReferralExchange.Infrastructure.Certificates;

/// <summary>
/// The development certificate folder (<c>certs-dev/</c>): created on first run, reused after.
/// Public certificates are <c>*.crt</c>; private keys (<c>*.key</c>, <c>*.pfx</c>) are git-ignored.
/// The CA's private key lives in a folder of its own (<c>certs-dev-ca/</c> by default), not in the
/// folder the gateway reads its certificates from: whoever can read the gateway's certificates
/// must not be able to mint partner certificates too. The gateway opens it only to issue a
/// certificate that is missing; the CLI opens it to issue and revoke.
/// </summary>
public sealed class DevCertificateFiles(string directory, string? caDirectory = null)
{
    public string Directory { get; } = directory;

    /// <summary>Where the CA key is kept: the configured folder, or the certificates folder's sibling <c>{name}-ca</c>.</summary>
    public string CaDirectory { get; } = caDirectory ?? DefaultCaDirectory(directory);

    public static string DefaultCaDirectory(string certificatesDirectory) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(certificatesDirectory)) + "-ca";

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");
    public string CaKeyPath => Path.Combine(CaDirectory, "ca.key");

    /// <summary>Where earlier versions kept the CA key, beside the certificates; moved out on the next start.</summary>
    public string FormerCaKeyPath => Path.Combine(Directory, "ca.key");
    public string ServerPfxPath => Path.Combine(Directory, "server.pfx");
    public string CrlPath => Path.Combine(Directory, "ca.crl");
    public string ClientCertificatePath(string partnerId) => Path.Combine(Directory, $"{partnerId}.crt");
    public string ClientKeyPath(string partnerId) => Path.Combine(Directory, $"{partnerId}.key");
    public string ClientPfxPath(string partnerId) => Path.Combine(Directory, $"{partnerId}.pfx");

    /// <summary>Creates whatever is missing: the CA, the server certificate, one client certificate per partner.</summary>
    public void EnsureCreated(IEnumerable<string> partnerIds, IEnumerable<string> serverHosts, DateTimeOffset now)
    {
        System.IO.Directory.CreateDirectory(Directory);
        MoveFormerCaKey();
        var missingClients = partnerIds.Where(id => !File.Exists(ClientPfxPath(id))).ToList();
        if (File.Exists(CaCertificatePath) && File.Exists(ServerPfxPath) && missingClients.Count == 0)
        {
            // Nothing to issue: the CA key is not opened.
            return;
        }
        using var ca = LoadOrCreateCa(now);
        if (!File.Exists(ServerPfxPath))
        {
            using var server = ca.IssueServer(serverHosts, now);
            WritePair(server, Path.Combine(Directory, "server.crt"), Path.Combine(Directory, "server.key"), ServerPfxPath);
        }
        foreach (var partnerId in missingClients)
        {
            using var client = ca.IssueClient(partnerId, now.AddDays(-1), now.AddYears(1));
            WritePair(client, ClientCertificatePath(partnerId), ClientKeyPath(partnerId), ClientPfxPath(partnerId));
        }
    }

    /// <summary>A development folder from before the split: its CA key moves to <see cref="CaDirectory"/> (same file system: a rename).</summary>
    private void MoveFormerCaKey()
    {
        if (File.Exists(FormerCaKeyPath) && !File.Exists(CaKeyPath))
        {
            CreatePrivateDirectory(CaDirectory);
            File.Move(FormerCaKeyPath, CaKeyPath);
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }
        System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
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
        CreatePrivateDirectory(CaDirectory);
        File.WriteAllText(CaCertificatePath, ca.Certificate.ExportCertificatePem());
        WritePrivate(CaKeyPath, ca.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return ca;
    }

    /// <summary>Writes the certificate as PEM, the key as PKCS#8 PEM (for curl) and both as PKCS#12 (for .NET).</summary>
    public static void WritePair(X509Certificate2 certificate, string crtPath, string keyPath, string pfxPath)
    {
        File.WriteAllText(crtPath, certificate.ExportCertificatePem());
        WritePrivate(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        WritePrivate(pfxPath, certificate.Export(X509ContentType.Pkcs12));
    }

    private static void WritePrivate(string path, string pem) => WritePrivate(path, System.Text.Encoding.UTF8.GetBytes(pem));

    /// <summary>A private key file, 0600 from creation (not written first and restricted after).</summary>
    private static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
