namespace ReferralExchange.Benchmarks;

public sealed record BenchmarkSettings(int Connections, TimeSpan Duration, TimeSpan Warmup, int SeedReferrals);
