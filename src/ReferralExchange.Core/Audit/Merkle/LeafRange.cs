namespace ReferralExchange.Core.Audit.Merkle;

/// <summary>The leaves D[Start:End] of RFC 9162 §2.1 notation, whose hash MTH(D[Start:End]) a proof carries.</summary>
public readonly record struct LeafRange(long Start, long End)
{
    public long Count => End - Start;

    public override string ToString() => $"[{Start},{End})";
}
