using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Privacy;

/// <summary>
/// The one place every exit asks before data leaves (read, vread, history, search, _include, pages):
/// the referral source gets its own data and, of what the receiving partner adds, the minimum
/// necessary; any other participant gets what the consent decision permits, redacted as it obliges.
/// Each decision becomes an AuthZ-Consent audit record.
/// </summary>
public sealed class ConsentGate(IConsentRepository consents, LabelingRules rules, MinimumNecessaryShaper minimumNecessary, TimeProvider time)
{
    public sealed record Disclosure(bool Allowed, string Json, bool Part2, AuditRecord? DecisionRecord);

    /// <summary>
    /// The purpose the decision is made for: the one the caller's access token carries (chosen by
    /// the request within the token's). Only the gateway's own calls (notifications) have none;
    /// they decide for the partner's default purpose, the one its tokens get unasked.
    /// </summary>
    public string PurposeOf(Caller caller) =>
        caller.PurposeOfUse ?? Authorization.PurposeOfUseRules.Default.DefaultFor(caller.Partner) ?? string.Empty;

    public async Task<Disclosure> ShapeAsync(Caller caller, ReferralAccess? access, StoredResource resource, CancellationToken ct)
    {
        if (access is null)
        {
            return new Disclosure(true, resource.Json, false, null);
        }
        var policies = (await consents.PoliciesAsync([access.ReferralKey], ct)).GetValueOrDefault(access.ReferralKey) ?? [];
        return Shape(caller, access, resource.ResourceType, resource.Json, policies);
    }

    /// <summary>Synchronous core of <see cref="ShapeAsync"/>, for callers that loaded the policies of many referrals at once.</summary>
    public Disclosure Shape(Caller caller, ReferralAccess access, string resourceType, string json, IReadOnlyList<ConsentPolicy> policies)
    {
        var now = time.GetUtcNow();
        var purpose = PurposeOf(caller);
        if (caller.Partner.Id == access.RequesterId)
        {
            return MinimumNecessary(caller, access, resourceType, json, policies, purpose, now);
        }

        if (caller.Partner.Id == access.RecipientId && rules.RecipientAuthored.Types.Contains(resourceType))
        {
            // The receiving partner's own record of what it delivered is not a disclosure to it.
            return new Disclosure(true, json, false, null);
        }
        var shape = DisclosureShaper.Inspect(json);
        var request = new DataRequest(access.PatientId, caller.Partner.Id, purpose, rules.ClassesOf(resourceType), shape.ResourceLabels, now)
        {
            ElementLabels = shape.ElementLabels,
            ElementClasses = shape.ElementClasses,
        };
        var decision = ConsentDecisionEngine.Decide(policies, request);
        var record = DecisionRecord(caller, access, decision, purpose, now);
        if (!decision.Permits)
        {
            return new Disclosure(false, string.Empty, false, record);
        }
        var (shaped, part2) = DisclosureShaper.Redact(json, decision.RedactLabels, decision.RedactClasses);
        return new Disclosure(true, shaped, part2, record);
    }

    /// <summary>Whether the caller may see a Task at all (claims and notifications; search asks the access index built from the same rule).</summary>
    public bool MaySee(Caller caller, ReferralAccess access, IReadOnlyCollection<string> taskLabels, IReadOnlyList<ConsentPolicy> policies) =>
        Access.TaskVisibility.Permits(caller.Partner.Id, PurposeOf(caller), access, taskLabels, policies, rules, time.GetUtcNow());

    /// <summary>
    /// docs/domain.md "minimum necessary back to police" (HIPAA 45 CFR §164.502(b)): the source sees the
    /// whitelisted status, coded reasons, dates, references and delivered-service coding of what the
    /// receiving partner adds, never its free text, unless a consent names it with the outcome class.
    /// </summary>
    private Disclosure MinimumNecessary(Caller caller, ReferralAccess access, string resourceType, string json,
        IReadOnlyList<ConsentPolicy> policies, string purpose, DateTimeOffset now)
    {
        if (!minimumNecessary.Applies(resourceType))
        {
            return new Disclosure(true, json, false, null);
        }
        var request = new DataRequest(access.PatientId, caller.Partner.Id, purpose, [minimumNecessary.UnlessClass], [], now);
        var decision = ConsentDecisionEngine.Decide(policies, request);
        if (decision.Permits)
        {
            return new Disclosure(true, json, false, DecisionRecord(caller, access, decision, purpose, now));
        }
        var (shaped, part2) = DisclosureShaper.KeepMinimumNecessary(json, minimumNecessary);
        return new Disclosure(true, shaped, part2, null);
    }

    private static AuditRecord DecisionRecord(Caller caller, ReferralAccess access, ConsentDecision decision, string purpose, DateTimeOffset now) =>
        AuditRecord.For(caller, AuditActions.ConsentDecision, decision.Permits ? AuditOutcome.Success : AuditOutcome.MinorFailure, now) with
        {
            PatientId = access.PatientId,
            PurposeOfUse = purpose,
            ConsentReference = decision.ConsentReference,
            Detail = $"{(decision.Outcome switch { ConsentOutcome.Permit => "CONSENT_PERMIT", ConsentOutcome.Deny => "CONSENT_DENY", _ => "NO_CONSENT" })}: {decision.Reason}"
                + (decision.HasObligations ? $"; REDACT {string.Join(",", decision.RedactLabels.Concat(decision.RedactClasses))}" : string.Empty),
        };
}
