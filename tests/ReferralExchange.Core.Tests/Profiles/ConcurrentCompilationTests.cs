using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>
/// Firely's validator compiles each schema on first use and edits the StructureDefinition it
/// compiles from (its corrections resolver). A production gateway is warmed with our examples, but
/// a request can still be the first to need a type (an extension, a datatype none of the examples
/// carries) while another request needs it too, and both compile it from one cached object. A cold
/// validator on eight threads did not reproduce the failure here in two tries (the window is small),
/// so the test below pins the contract that closes it: no two callers share a StructureDefinition.
/// </summary>
public sealed class ConcurrentCompilationTests
{
    private static readonly string Directory = ProfilePackage.Locate(AppContext.BaseDirectory);

    [Fact]
    public async System.Threading.Tasks.Task ResolvedStructureDefinition_IsEachCallersOwnCopy()
    {
        var resolver = ConformanceResolver.Create(Directory);
        const string bundle = "http://hl7.org/fhir/StructureDefinition/Bundle";

        var first = (StructureDefinition)(await resolver.TryResolveByCanonicalUriAsync(bundle)).Value!;
        var constraints = first.Snapshot!.Element[0].Constraint.Count;
        // What Firely's corrections resolver does to what it is given: append Bundle's missing constraints.
        first.Snapshot!.Element[0].Constraint.Add(new ElementDefinition.ConstraintComponent { Key = "added-by-a-caller" });
        var second = (StructureDefinition)(await resolver.TryResolveByCanonicalUriAsync(bundle)).Value!;

        Assert.NotSame(first, second);
        Assert.Equal(constraints, second.Snapshot!.Element[0].Constraint.Count);
        Assert.DoesNotContain(second.Snapshot!.Element[0].Constraint, c => c.Key == "added-by-a-caller");
        // The corrections resolver itself still calls the SDK's obsolete member.
#pragma warning disable CS0618
        var third = (StructureDefinition)(await resolver.ResolveByCanonicalUriAsync(bundle))!;
#pragma warning restore CS0618
        Assert.NotSame(first, third);
        Assert.DoesNotContain(third.Snapshot!.Element[0].Constraint, c => c.Key == "added-by-a-caller");
    }
}
