namespace ReferralExchange.Core.Tasks;

/// <summary>How the caller stands to a Task: the receiving partner (owner) or the referral source (requester).</summary>
[Flags]
public enum TaskRole
{
    None = 0,
    Owner = 1,
    Requester = 2,
}
