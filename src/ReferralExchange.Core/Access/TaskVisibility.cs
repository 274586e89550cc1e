using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Access;

/// <summary>
/// Whether a partner, asking for one purpose at one instant, may find a referral's Task: it must
/// take part in the referral (the source, the receiving partner, or, while nobody owns the Task, a
/// partner that may claim it) and, unless it is the source, the consent decision must permit the
/// Task's data for that purpose (ConsentDecisionEngine: the single authority). Search, the access
/// index built from it (<see cref="TaskAccessGrants"/>) and notifications all ask this.
/// </summary>
public static class TaskVisibility
{
    public static bool Participates(string partnerId, ReferralAccess access, string? ownerId) =>
        partnerId == access.RequesterId
        || partnerId == access.RecipientId
        || (ownerId is null && access.Candidates.Contains(partnerId));

    /// <summary>The consent side alone (the caller is known to take part).</summary>
    public static bool Permits(string partnerId, string purpose, ReferralAccess access, IReadOnlyCollection<string> taskLabels,
        IReadOnlyList<ConsentPolicy> policies, LabelingRules rules, DateTimeOffset now) =>
        partnerId == access.RequesterId
        || ConsentDecisionEngine.Decide(policies, new DataRequest(access.PatientId, partnerId, purpose, rules.ClassesOf("Task"), taskLabels, now)).Permits;

    public static bool MaySee(string partnerId, string purpose, ReferralAccess access, string? ownerId, IReadOnlyCollection<string> taskLabels,
        IReadOnlyList<ConsentPolicy> policies, LabelingRules rules, DateTimeOffset now) =>
        Participates(partnerId, access, ownerId) && Permits(partnerId, purpose, access, taskLabels, policies, rules, now);
}
