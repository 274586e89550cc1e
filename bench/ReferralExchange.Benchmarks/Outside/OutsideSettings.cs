using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>How an outside-generator run is made.</summary>
public sealed record OutsideSettings(
    BenchDataset Dataset,
    string GatewayDll,
    string AutocannonScript,
    int Connections,
    TimeSpan Duration,
    TimeSpan Warmup,
    int Repeats,
    TimeSpan RequestTimeout,
    int StartUps,
    IReadOnlyDictionary<string, string> TokenParameters,
    string RunRoot,
    bool KeepRunData,
    string? Only);
