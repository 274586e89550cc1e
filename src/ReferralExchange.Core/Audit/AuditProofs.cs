namespace ReferralExchange.Core.Audit;

/// <summary>RFC 9162 §2.1.4 consistency proof between two signed tree sizes.</summary>
public sealed record ConsistencyProofResult(long From, long To, IReadOnlyList<byte[]> Proof);

/// <summary>
/// RFC 9162 §2.1.3 inclusion proof of one audit record (leaf index = sequence - 1) in the tree of the
/// latest signed checkpoint, with that checkpoint so the caller needs nothing else from the gateway.
/// </summary>
/// <param name="CanonicalRecord">The record's hashed bytes, for a successful interaction; null for a refusal, whose details a partner is not shown.</param>
public sealed record InclusionProofResult(long Record, long LeafIndex, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Proof, string Checkpoint, byte[]? CanonicalRecord);
