namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>
/// One submitted referral: its idempotency key (sender + identifier, unique), the receiving
/// partner, and the first transaction-response, replayed for repeated submissions.
/// </summary>
public sealed class ReferralRow
{
    public required string ReferralKey { get; set; }
    public required string RequesterId { get; set; }
    public required string IdentifierSystem { get; set; }
    public required string IdentifierValue { get; set; }
    public string? RecipientId { get; set; }
    public string PatientId { get; set; } = string.Empty;
    public long CreatedTicks { get; set; }
    public required string ResponseJson { get; set; }
}
