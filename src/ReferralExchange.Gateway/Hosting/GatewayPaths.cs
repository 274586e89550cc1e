namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Resolves configured paths: absolute as given; relative ones against the repository root (the
/// folder holding ReferralExchange.sln) when running from a checkout, else the content root.
/// That way <c>dotnet run</c> from anywhere in the repo uses the same <c>certs-dev/</c> and <c>data/</c>.
/// </summary>
public sealed class GatewayPaths
{
    public GatewayPaths(string contentRoot, GatewayOptions options)
    {
        Root = FindRepositoryRoot(contentRoot) ?? contentRoot;
        DataDirectory = Resolve(options.DataDirectory);
        DatabasePath = Path.Combine(DataDirectory, options.DatabaseFile);
        CertificatesDirectory = Resolve(options.CertificatesDirectory);
        DevelopmentCaDirectory = options.DevelopmentCaDirectory is { } ca
            ? Resolve(ca)
            : Infrastructure.Certificates.DevCertificateFiles.DefaultCaDirectory(CertificatesDirectory);
        // The seed file is configuration, like appsettings.json: it lives beside the app.
        PartnersFile = Path.IsPathRooted(options.PartnersFile) ? options.PartnersFile
            : new[] { contentRoot, AppContext.BaseDirectory }.Select(d => Path.Combine(d, options.PartnersFile)).FirstOrDefault(File.Exists)
              ?? Path.Combine(contentRoot, options.PartnersFile);
        ProfilesDirectory = options.ProfilesDirectory is { } p
            ? Resolve(p)
            : Core.Profiles.ProfilePackage.Locate(Root);
    }

    public string Root { get; }
    public string DataDirectory { get; }
    public string DatabasePath { get; }
    public string CertificatesDirectory { get; }
    public string DevelopmentCaDirectory { get; }
    public string PartnersFile { get; }
    public string ProfilesDirectory { get; }

    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root, path));

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReferralExchange.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
