namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>The checkout the bench was built from: its profiles/ and its gateway build.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding ReferralExchange.sln above the bench's binaries (or the current folder).</summary>
    public static string Root { get; } = Find(AppContext.BaseDirectory) ?? Find(Environment.CurrentDirectory)
        ?? throw new InvalidOperationException("ReferralExchange.sln not found above the bench's binaries or the current folder");

    public static string Profiles => Path.Combine(Root, "profiles");

    /// <summary>The Release build of the gateway host, as <c>dotnet build -c Release</c> leaves it.</summary>
    public static string GatewayDll => Path.Combine(Root, "src", "ReferralExchange.Gateway", "bin", "Release", "net10.0", "ReferralExchange.Gateway.dll");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReferralExchange.sln"))) return dir.FullName;
        }
        return null;
    }
}
