namespace ReferralExchange.Benchmarks.Outside;

/// <summary>One request shape the outside generator repeats, and which server and certificate it uses.</summary>
public sealed record Workload(
    string Name,
    bool AgainstBare,
    string Method,
    string Path,
    IReadOnlyList<(string Name, string Value)> Headers,
    string? Body,
    bool UniqueIds,
    string Certificate,
    string Key,
    string CaCertificate);
