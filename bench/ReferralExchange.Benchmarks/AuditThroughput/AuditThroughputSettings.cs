namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <param name="BaselineBench">The bench DLL of a build from before the Merkle tree (commit 0ceae39^), whose audit-verify times the chain alone in the same run; null: not run.</param>
public sealed record AuditThroughputSettings(
    int Records,
    int Repeats,
    int BackfillRepeats,
    IReadOnlyList<int> Writers,
    TimeSpan AppendWarmup,
    TimeSpan AppendDuration,
    int Proofs,
    string WorkRoot,
    bool Keep,
    string? BaselineBench);
