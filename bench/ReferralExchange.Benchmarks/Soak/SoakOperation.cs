namespace ReferralExchange.Benchmarks.Soak;

/// <summary>The request kinds of the soak's mix, one referral's life each round.</summary>
public enum SoakOperation
{
    Token,
    Submit,
    Inbox,
    ReadById,
    TaskMove,
}
