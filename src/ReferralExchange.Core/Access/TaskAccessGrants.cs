using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Access;

/// <summary>One materialised decision: this partner, asking for this purpose, may find the Task from <see cref="From"/> until (not including) <see cref="Until"/>.</summary>
public sealed record TaskAccessGrant(string PartnerId, string Purpose, DateTimeOffset From, DateTimeOffset Until)
{
    public bool Covers(string partnerId, string purpose, DateTimeOffset now) =>
        PartnerId == partnerId && (Purpose == purpose || Purpose == TaskAccessGrants.AnyPurpose) && From <= now && now < Until;
}

/// <summary>
/// The access index of one Task: <see cref="TaskVisibility"/> evaluated ahead of time, as rows a
/// search can filter, count and page with in SQL (ADR 0009).
/// <para>
/// Why it is exact: every time condition the consent engine evaluates has the form
/// <c>bound &lt;= now</c> or <c>now &lt; bound</c> (Consent.dateTime, provision periods and their
/// exceptions, the 42 CFR §2.35 irrevocable window). Between two consecutive bounds the decision is
/// therefore constant, and evaluating it once at the start of each interval gives the decision for
/// the whole interval. Only purposes that some permit provision names can ever be permitted (a
/// permit applies only to the purposes it names), so only those are materialised; the source of
/// the referral sees its own referral whatever the purpose (<see cref="AnyPurpose"/>).
/// </para>
/// The index must be rebuilt whenever an input changes: a Consent version, the Task (owner,
/// labels), or the referral's participants; the stores do it in the same transaction.
/// </summary>
public static class TaskAccessGrants
{
    /// <summary>The purpose of a grant that holds whatever purpose the caller asserts.</summary>
    public const string AnyPurpose = "*";

    public static IReadOnlyList<TaskAccessGrant> For(ReferralAccess access, string? ownerId, IReadOnlyCollection<string> taskLabels,
        IReadOnlyList<ConsentPolicy> policies, LabelingRules rules)
    {
        var grants = new List<TaskAccessGrant> { new(access.RequesterId, AnyPurpose, DateTimeOffset.MinValue, DateTimeOffset.MaxValue) };
        var others = new[] { access.RecipientId }.Concat(access.Candidates).OfType<string>()
            .Where(p => p != access.RequesterId && TaskVisibility.Participates(p, access, ownerId))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (others.Count == 0)
        {
            return grants;
        }
        var purposes = policies.SelectMany(p => PermitPurposes(p.Provision)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var starts = policies.SelectMany(Bounds).Where(b => b > DateTimeOffset.MinValue).Distinct().Order().Prepend(DateTimeOffset.MinValue).ToList();
        foreach (var partner in others)
        {
            foreach (var purpose in purposes)
            {
                DateTimeOffset? open = null;
                foreach (var start in starts)
                {
                    var visible = TaskVisibility.Permits(partner, purpose, access, taskLabels, policies, rules, start);
                    if (visible && open is null)
                    {
                        open = start;
                    }
                    else if (!visible && open is { } from)
                    {
                        grants.Add(new TaskAccessGrant(partner, purpose, from, start));
                        open = null;
                    }
                }
                if (open is { } stillOpen)
                {
                    grants.Add(new TaskAccessGrant(partner, purpose, stillOpen, DateTimeOffset.MaxValue));
                }
            }
        }
        return grants;
    }

    private static IEnumerable<string> PermitPurposes(ConsentProvision provision) =>
        (provision.Permit ? provision.Purposes : []).Concat(provision.Exceptions.SelectMany(PermitPurposes));

    /// <summary>Every instant at which the engine's verdict on this consent may change.</summary>
    private static IEnumerable<DateTimeOffset> Bounds(ConsentPolicy policy)
    {
        yield return policy.DateTime;
        if (policy.IrrevocableUntil is { } until)
        {
            yield return until;
        }
        foreach (var bound in ProvisionBounds(policy.Provision))
        {
            yield return bound;
        }
    }

    private static IEnumerable<DateTimeOffset> ProvisionBounds(ConsentProvision provision) =>
        new[] { provision.Start, provision.End }.OfType<DateTimeOffset>().Concat(provision.Exceptions.SelectMany(ProvisionBounds));
}
