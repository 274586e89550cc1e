namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// One kind of referral in a seeded data set: what is referred to whom, and the Task moves its
/// life went through (each made through the real API when the template is written).
/// </summary>
public sealed record TemplateKind(
    string Name,
    string Recipient,
    string[] Needs,
    string[] DataClasses,
    bool Veteran,
    TaskMove[] Moves,
    int Weight)
{
    /// <summary>Still <c>requested</c> in bh-riverside's inbox: the items the inbox search pages through.</summary>
    public bool OpenInInbox => Recipient == ReferralTemplates.Provider && Moves.Length == 0;
}

/// <summary>A Task status change, by the owner (the recipient) or by the requester (the police unit).</summary>
/// <param name="Output">completed needs one: <c>code</c> (a delivered-service code) or <c>procedure</c> (a Procedure of the referral).</param>
public sealed record TaskMove(string Status, bool ByRequester = false, string? Reason = null, string? Output = null);
