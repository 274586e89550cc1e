namespace ReferralExchange.Core.Privacy;

/// <summary>
/// Decides whether a recipient may receive data about a patient for a purpose, as a pure function
/// of the consents (docs/domain.md "Consent rules"; FHIR R4 Consent §12.8.3.3 provisions):
/// <list type="bullet">
/// <item>Only active consents (or ones irrevocable until later, 42 CFR §2.35) inside their period count.</item>
/// <item>A permit applies only if it names the recipient and the purpose; a deny applies unless it names others.</item>
/// <item>No applicable consent: NO_CONSENT (deny). Several: the most recent <c>dateTime</c> wins.</item>
/// <item>Nested provisions are exceptions: a matching one flips its parent for the classes and labels it names.</item>
/// <item>Data classes and sensitivity labels the winning consent does not cover are redacted (an
/// obligation); if nothing requested is covered, or a label on the whole resource is not, it is a deny.</item>
/// <item>Substance-use data (ETH/SUD, 42 CFR Part 2) also needs an expiry on the consent used.</item>
/// </list>
/// </summary>
public static class ConsentDecisionEngine
{
    private static readonly HashSet<string> Part2Labels = ["ETH", "SUD"];

    public static ConsentDecision Decide(IEnumerable<ConsentPolicy> consents, DataRequest request)
    {
        var applicable = consents
            .Where(c => c.PatientId == request.PatientId && InForce(c, request.Now) && c.DateTime <= request.Now)
            .Where(c => c.Provision.InPeriod(request.Now) && RootApplies(c.Provision, request))
            .ToList();
        if (applicable.Count == 0)
        {
            return ConsentDecision.NoConsent("no active consent permits this recipient for this purpose");
        }

        var chosen = applicable.MaxBy(c => c.DateTime)!;
        var (classes, labels) = Covered(chosen.Provision, request);
        if (classes.Count == 0 && labels.Count == 0)
        {
            return ConsentDecision.Deny(chosen.Reference, "the most recent applicable consent denies this disclosure");
        }

        // Part 2 (42 CFR §2.31): substance-use data only under a consent with an expiry.
        var part2Allowed = chosen.Provision.End is not null;
        bool LabelCovered(string label) => labels.Contains(label) && (!Part2Labels.Contains(label) || part2Allowed);

        var uncoveredResourceLabels = request.SensitivityLabels.Where(l => !LabelCovered(l)).ToList();
        if (uncoveredResourceLabels.Count > 0)
        {
            return ConsentDecision.Deny(chosen.Reference, $"the consent does not cover data labelled {string.Join(", ", uncoveredResourceLabels)}");
        }
        var uncoveredClasses = request.Classes.Where(c => !classes.Contains(c)).ToList();
        if (uncoveredClasses.Count > 0)
        {
            return ConsentDecision.Deny(chosen.Reference, $"the consent does not cover {string.Join(", ", uncoveredClasses)} data");
        }
        var redactClasses = request.ElementClasses.Where(c => !classes.Contains(c)).Distinct().ToList();
        var redactLabels = request.ElementLabels.Where(l => !LabelCovered(l)).Distinct().ToList();
        return new ConsentDecision(ConsentOutcome.Permit, chosen.Reference, redactLabels, redactClasses,
            redactLabels.Count + redactClasses.Count == 0 ? "permitted" : "permitted with redaction");
    }

    /// <summary>Active, or revoked while still irrevocable (42 CFR §2.35: criminal-justice consents).</summary>
    public static bool InForce(ConsentPolicy consent, DateTimeOffset now) =>
        consent.Active || (consent.IrrevocableUntil is { } until && now < until);

    private static bool RootApplies(ConsentProvision root, DataRequest request) => root.Permit
        ? root.Actors.Contains(request.RecipientId) && root.Purposes.Contains(request.Purpose)
        : (root.Actors.Count == 0 || root.Actors.Contains(request.RecipientId)) && (root.Purposes.Count == 0 || root.Purposes.Contains(request.Purpose));

    /// <summary>The classes and labels the consent lets this recipient have, after its exceptions.</summary>
    private static (HashSet<string> Classes, HashSet<string> Labels) Covered(ConsentProvision root, DataRequest request)
    {
        var classes = new HashSet<string>();
        var labels = new HashSet<string>();
        if (root.Permit)
        {
            classes.UnionWith(root.Classes);
            labels.UnionWith(root.SecurityLabels);
            labels.UnionWith(root.Classes.SelectMany(DataClassLabels.LabelsOf));
        }
        foreach (var exception in root.Exceptions.Where(e => e.InPeriod(request.Now)))
        {
            if (exception.Permit == root.Permit)
            {
                continue;
            }
            if (exception.Permit)
            {
                // A permit inside a deny must itself name the recipient and the purpose.
                if (exception.Actors.Contains(request.RecipientId) && exception.Purposes.Contains(request.Purpose))
                {
                    classes.UnionWith(exception.Classes);
                    labels.UnionWith(exception.SecurityLabels);
                    labels.UnionWith(exception.Classes.SelectMany(DataClassLabels.LabelsOf));
                }
            }
            else if ((exception.Actors.Count == 0 || exception.Actors.Contains(request.RecipientId))
                     && (exception.Purposes.Count == 0 || exception.Purposes.Contains(request.Purpose)))
            {
                if (exception.Classes.Count == 0 && exception.SecurityLabels.Count == 0)
                {
                    classes.Clear();
                    labels.Clear();
                    continue;
                }
                classes.ExceptWith(exception.Classes);
                labels.ExceptWith(exception.SecurityLabels);
                labels.ExceptWith(exception.Classes.SelectMany(DataClassLabels.LabelsOf));
            }
        }
        return (classes, labels);
    }
}
