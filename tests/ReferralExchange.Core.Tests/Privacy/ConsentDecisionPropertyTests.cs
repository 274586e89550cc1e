using CsCheck;
using ReferralExchange.Core.Privacy;

namespace ReferralExchange.Core.Tests.Privacy;

/// <summary>
/// Over thousands of random consents and requests: nothing is ever permitted without an active
/// (or still irrevocable), in-period provision that names the recipient, the purpose and the data
/// class — neither more than the data asked for nor less.
/// </summary>
public sealed class ConsentDecisionPropertyTests
{
    private static readonly string[] Actors = ["bh", "va", "housing", "psw"];
    private static readonly string[] Purposes = ["TREAT", "ETREAT", "HOPERAT", "CAREMGT"];
    private static readonly string[] Classes = ["referral", "demographics", "contact", "mental-health", "substance-use", "housing"];
    private static readonly string[] Labels = ["MH", "ETH", "SUD", "SDV"];
    private static readonly DateTimeOffset Now = ConsentBuilder.Now;

    private static Gen<string[]> SubsetOf(string[] values) => Gen.Int[0, (1 << values.Length) - 1]
        .Select(mask => values.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    private static Gen<DateTimeOffset?> Instant => Gen.Int[-400, 400].Select(d => d % 7 == 0 ? (DateTimeOffset?)null : Now.AddDays(d));

    private static Gen<ConsentProvision> Provision(int depth) =>
        from permit in Gen.Bool
        from start in Instant
        from end in Instant
        from actors in SubsetOf(Actors)
        from purposes in SubsetOf(Purposes)
        from classes in SubsetOf(Classes)
        from labels in SubsetOf(Labels)
        from nested in depth == 0 ? Gen.Const(Array.Empty<ConsentProvision>()) : Provision(depth - 1).Array[0, 2]
        select new ConsentProvision(permit, start, end, actors, purposes, classes, labels, nested);

    private static readonly Gen<ConsentPolicy> ConsentGen =
        from id in Gen.Int[1, 1_000_000]
        from active in Gen.Bool
        from daysAgo in Gen.Int[-5, 200]
        from patient in Gen.Int[0, 1].Select(i => i == 0 ? "p1" : "p2")
        from provision in Provision(1)
        from irrevocable in Gen.Int[-30, 30].Select(d => d % 3 == 0 ? (DateTimeOffset?)Now.AddDays(d) : null)
        select new ConsentPolicy($"c{id}", active, Now.AddDays(-daysAgo), patient, provision, irrevocable);

    private static readonly Gen<DataRequest> RequestGen =
        from recipient in Gen.Int[0, Actors.Length - 1].Select(i => Actors[i])
        from purpose in Gen.Int[0, Purposes.Length - 1].Select(i => Purposes[i])
        from classes in SubsetOf(Classes)
        from labels in SubsetOf(Labels)
        from elementLabels in SubsetOf(Labels)
        select new DataRequest("p1", recipient, purpose, classes.Length == 0 ? ["referral"] : classes, labels, Now) { ElementLabels = elementLabels };

    [Fact]
    public void Decide_AnyConsentsAndRequest_PermitsOnlyWhatAnActiveProvisionNamesExplicitly()
    {
        Gen.Select(ConsentGen.Array[0, 4], RequestGen).Sample((consents, request) =>
        {
            var decision = ConsentDecisionEngine.Decide(consents, request);
            if (!decision.Permits)
            {
                return true;
            }
            var used = consents.Single(c => c.Reference == decision.ConsentReference);
            var inForce = (used.Active || used.IrrevocableUntil > Now) && used.DateTime <= Now && used.PatientId == request.PatientId && used.Provision.InPeriod(Now);
            // Every class of the resource must be named by a permit provision (root or nested) that
            // names the recipient and the purpose.
            var permits = PermitProvisions(used.Provision, request).ToList();
            var classesNamed = request.Classes.All(c => permits.Any(p => p.Classes.Contains(c)));
            var labelsNamed = request.SensitivityLabels.All(l => permits.Any(p => p.SecurityLabels.Contains(l) || p.Classes.SelectMany(DataClassLabels.LabelsOf).Contains(l)));
            var part2Ok = !request.SensitivityLabels.Intersect(["ETH", "SUD"]).Any() || used.Provision.End is not null;
            return inForce && classesNamed && labelsNamed && part2Ok;
        }, iter: 5000);
    }

    private static IEnumerable<ConsentProvision> PermitProvisions(ConsentProvision root, DataRequest request)
    {
        if (root.Permit && root.Actors.Contains(request.RecipientId) && root.Purposes.Contains(request.Purpose))
            yield return root;
        foreach (var nested in root.Exceptions.Where(n => n.Permit && n.Actors.Contains(request.RecipientId) && n.Purposes.Contains(request.Purpose) && n.InPeriod(Now)))
            yield return nested;
    }
}
