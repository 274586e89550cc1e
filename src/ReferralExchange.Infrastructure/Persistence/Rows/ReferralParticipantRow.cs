namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>A partner taking part in a referral: requester, recipient, or (while open) candidate.</summary>
public sealed class ReferralParticipantRow
{
    public const string Requester = "requester";
    public const string Recipient = "recipient";
    public const string Candidate = "candidate";

    public required string ReferralKey { get; set; }
    public required string PartnerId { get; set; }
    public required string Role { get; set; }
}
