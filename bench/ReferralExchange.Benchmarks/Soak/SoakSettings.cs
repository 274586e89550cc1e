using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary>How a soak is made.</summary>
public sealed record SoakSettings(
    BenchDataset Dataset,
    string GatewayDll,
    TimeSpan Length,
    TimeSpan SampleEvery,
    TimeSpan MapsEvery,
    double RequestsPerSecond,
    int Workers,
    IReadOnlyDictionary<string, string> TokenParameters,
    string RunRoot,
    bool KeepRunData,
    string CsvPath,
    IReadOnlyList<string> ExtraGatewayArguments,
    IReadOnlyDictionary<string, string> GatewayEnvironment);
