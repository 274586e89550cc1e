using CsCheck;
using ReferralExchange.Core.Access;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;
using ReferralExchange.Core.Tests.Privacy;

namespace ReferralExchange.Core.Tests.Access;

/// <summary>
/// The access index is the consent engine's decision materialised ahead of time (ADR 0009). Over
/// thousands of random consents (periods, exceptions, revocation, irrevocable windows), referral
/// participants, owners and labels, the grants must answer exactly as the engine does, for every
/// partner and purpose, at random instants and at one tick either side of every bound.
/// </summary>
public sealed class TaskAccessGrantsPropertyTests
{
    private static readonly string[] Partners = ["bh", "va", "housing", "psw", "stranger"];
    private static readonly string[] Purposes = ["TREAT", "ETREAT", "HOPERAT", "CAREMGT"];
    private static readonly string[] Classes = ["referral", "demographics", "mental-health", "substance-use"];
    private static readonly string[] Labels = ["MH", "ETH", "SUD", "SDV"];
    private static readonly DateTimeOffset Now = ConsentBuilder.Now;
    private static readonly LabelingRules Rules = LabelingRules.Default;

    private static Gen<string[]> SubsetOf(string[] values) => Gen.Int[0, (1 << values.Length) - 1]
        .Select(mask => values.Where((_, i) => (mask & (1 << i)) != 0).ToArray());

    private static Gen<DateTimeOffset?> Instant => Gen.Int[-400, 400].Select(d => d % 5 == 0 ? (DateTimeOffset?)null : Now.AddDays(d));

    private static Gen<ConsentProvision> Provision(int depth) =>
        from permit in Gen.Int[0, 3].Select(i => i != 0)
        from start in Instant
        from end in Instant
        from actors in SubsetOf(["bh", "va", "housing"])
        from purposes in SubsetOf(Purposes)
        from classes in SubsetOf(Classes)
        from labels in SubsetOf(Labels)
        from nested in depth == 0 ? Gen.Const(Array.Empty<ConsentProvision>()) : Provision(depth - 1).Array[0, 2]
        select new ConsentProvision(permit, start, end, actors, purposes, classes, labels, nested);

    private static readonly Gen<ConsentPolicy> ConsentGen =
        from id in Gen.Int[1, 1_000_000]
        from active in Gen.Int[0, 3].Select(i => i != 0)
        from daysAgo in Gen.Int[-30, 200]
        from provision in Provision(1)
        from irrevocable in Gen.Int[-30, 30].Select(d => d % 3 == 0 ? (DateTimeOffset?)Now.AddDays(d) : null)
        select new ConsentPolicy($"c{id}", active, Now.AddDays(-daysAgo), "p1", provision, irrevocable);

    private static readonly Gen<(ReferralAccess Access, string? Owner, string[] Labels)> TaskGen =
        from recipient in Gen.Int[0, 3].Select(i => i == 3 ? null : new[] { "bh", "va", "housing" }[i])
        from candidates in SubsetOf(["bh", "va", "housing"])
        from owned in Gen.Bool
        from labels in SubsetOf(Labels)
        select (new ReferralAccess("r1", "psw", recipient, recipient is null ? candidates : [], "p1"), owned ? recipient ?? "bh" : null, labels);

    [Fact]
    public void Grants_AnyConsentsAndParticipants_AnswerExactlyAsTheEngine()
    {
        Gen.Select(ConsentGen.Array[0, 4], TaskGen, Gen.Int[-500, 500].Array[8]).Sample((consents, task, offsets) =>
        {
            var grants = TaskAccessGrants.For(task.Access, task.Owner, task.Labels, consents, Rules);
            var instants = consents.SelectMany(BoundsOf).SelectMany(b => new[] { b.AddTicks(-1), b, b.AddTicks(1) })
                .Concat(offsets.Select(d => Now.AddDays(d)))
                .Where(t => t > DateTimeOffset.MinValue.AddDays(1) && t < DateTimeOffset.MaxValue.AddDays(-1));
            foreach (var at in instants)
            {
                foreach (var partner in Partners)
                {
                    foreach (var purpose in Purposes.Append("OTHER"))
                    {
                        var engine = TaskVisibility.MaySee(partner, purpose, task.Access, task.Owner, task.Labels, consents, Rules, at);
                        var index = grants.Any(g => g.Covers(partner, purpose, at));
                        if (engine != index)
                        {
                            throw new InvalidOperationException($"{partner}/{purpose} at {at:O}: engine {engine}, index {index}");
                        }
                    }
                }
            }
        }, iter: 3000);
    }

    [Fact]
    public void Grants_RevokedConsent_LeaveOnlyTheSource()
    {
        var consent = new ConsentPolicy("c1", Active: false, Now.AddDays(-1), "p1",
            new ConsentProvision(true, null, null, ["bh"], ["TREAT"], ["referral"], [], []), IrrevocableUntil: null);
        var grants = TaskAccessGrants.For(new ReferralAccess("r1", "psw", "bh", [], "p1"), "bh", [], [consent], Rules);
        Assert.Equal([("psw", TaskAccessGrants.AnyPurpose)], grants.Select(g => (g.PartnerId, g.Purpose)));
    }

    [Fact]
    public void Grants_ConsentWithExpiry_EndAtTheExpiry()
    {
        var consent = new ConsentPolicy("c1", Active: true, Now.AddDays(-1), "p1",
            new ConsentProvision(true, null, Now.AddDays(30), ["bh"], ["TREAT"], ["referral"], [], []), IrrevocableUntil: null);
        var grant = Assert.Single(TaskAccessGrants.For(new ReferralAccess("r1", "psw", "bh", [], "p1"), "bh", [], [consent], Rules), g => g.PartnerId == "bh");
        Assert.Equal(("TREAT", Now.AddDays(-1), Now.AddDays(30)), (grant.Purpose, grant.From, grant.Until));
    }

    private static IEnumerable<DateTimeOffset> BoundsOf(ConsentPolicy policy) =>
        new[] { policy.DateTime, policy.IrrevocableUntil }.OfType<DateTimeOffset>().Concat(ProvisionBounds(policy.Provision));

    private static IEnumerable<DateTimeOffset> ProvisionBounds(ConsentProvision p) =>
        new[] { p.Start, p.End }.OfType<DateTimeOffset>().Concat(p.Exceptions.SelectMany(ProvisionBounds));
}
