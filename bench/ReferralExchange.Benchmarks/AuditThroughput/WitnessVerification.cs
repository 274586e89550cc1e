namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Hook for verification against witness copies (issue 12 point 4): the witness branch fills this
/// in with its verifier over a witness directory (records/s, full and incremental from its own
/// state). Until then the table says so instead of showing a figure.
/// </summary>
public static class WitnessVerification
{
    public static Measurement Row(int records) =>
        new($"verify against witness copies, {records:N0}", "records/s") { NotYet = "not yet: comes with the witness branch (issue 12 point 4)" };
}
