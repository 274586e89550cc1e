using System.Text.Json;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// A seeded gateway data set on disk: <c>certs/</c> (development CA, server and partner
/// certificates, audit signing key), <c>data/</c> (the SQLite database) and <c>seed.json</c>
/// (what is in it). Kept under a cache folder and reused; a run that writes works on a copy.
/// </summary>
public sealed class BenchDataset(string directory)
{
    public const string DefaultCacheRoot = "/tmp/rx-bench-data";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Directory { get; } = Path.GetFullPath(directory);
    public string CertificatesDirectory => Path.Combine(Directory, "certs");
    public string DataDirectory => Path.Combine(Directory, "data");
    public string DatabasePath => Path.Combine(DataDirectory, "referral-exchange.db");
    public string AuditKeyPath => Path.Combine(CertificatesDirectory, "audit-signing.key");
    public string ManifestPath => Path.Combine(Directory, "seed.json");

    public bool Exists => File.Exists(ManifestPath) && File.Exists(DatabasePath);

    /// <summary>The default cache folder for a size, e.g. <c>/tmp/rx-bench-data/10000</c>.</summary>
    public static BenchDataset ForSize(int referrals, string cacheRoot = DefaultCacheRoot) =>
        new(Path.Combine(cacheRoot, referrals.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The <c>--Gateway:...</c> arguments that point a gateway at this data set (in-process or its own process).</summary>
    public IReadOnlyList<string> GatewayArguments(string dataDirectory) =>
    [
        $"--Gateway:DataDirectory={dataDirectory}",
        $"--Gateway:CertificatesDirectory={CertificatesDirectory}",
        $"--Gateway:Audit:LocalKeyPath={AuditKeyPath}",
        "--Gateway:DevelopmentCertificates=true",
        $"--Gateway:ProfilesDirectory={RepositoryPaths.Profiles}",
        // Long enough for a whole run: the bench fetches its tokens once.
        "--Gateway:AccessTokenLifetime=04:00:00",
        "--Serilog:MinimumLevel:Default=Warning",
        "--Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime=Warning",
    ];

    public SeedManifest ReadManifest() =>
        JsonSerializer.Deserialize<SeedManifest>(File.ReadAllText(ManifestPath))
        ?? throw new InvalidOperationException($"{ManifestPath} is empty");

    public void WriteManifest(SeedManifest manifest) => File.WriteAllText(ManifestPath, JsonSerializer.Serialize(manifest, Json));

    /// <summary>The default witness folder of a gateway on <see cref="DataDirectory"/>: beside it (ADR 0013).</summary>
    public string WitnessDirectory => Path.Combine(Directory, "audit-witness");

    /// <summary>
    /// Copies the data folder for a run that writes (the cached set stays as seeded), and the
    /// witness folder beside it, as a deployment keeps its witness across restarts: a run on an
    /// empty witness would measure a first start, not a restart (ADR 0026).
    /// </summary>
    public string CopyDataTo(string target)
    {
        CopyFiles(DataDirectory, target);
        if (System.IO.Directory.Exists(WitnessDirectory))
        {
            CopyFiles(WitnessDirectory, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, "audit-witness"));
        }
        return target;
    }

    private static void CopyFiles(string from, string to)
    {
        System.IO.Directory.CreateDirectory(to);
        foreach (var file in System.IO.Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}

/// <summary>What a seeded data set holds, and how long it took to make.</summary>
public sealed record SeedManifest(
    int Referrals,
    int OpenInInbox,
    int Templates,
    IReadOnlyDictionary<string, int> ByKind,
    string ReadTaskId,
    string Inbox,
    long AuditRecords,
    double TemplateSeconds,
    double CloneSeconds,
    long DatabaseBytes,
    DateTimeOffset SeededAt);
