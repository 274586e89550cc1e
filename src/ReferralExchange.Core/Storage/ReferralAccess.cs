namespace ReferralExchange.Core.Storage;

/// <summary>Who takes part in one referral: the source, the receiving partner, and, while it is open, who may claim it.</summary>
public sealed record ReferralAccess(string ReferralKey, string RequesterId, string? RecipientId, IReadOnlyList<string> Candidates, string PatientId);
