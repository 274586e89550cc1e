using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Utility;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>
/// The spec zip's conformance resources are parsed from XML, and the SDK's POCO builder links each
/// element it builds back to its parsed XML node. Kept for the life of the process, those links held
/// about 100 MB of XML trees (issue 11, RSS). What the resolver keeps must be detached from them and
/// still be the same resource.
/// </summary>
public sealed class DetachedConformanceTests
{
    private static readonly string Directory = ProfilePackage.Locate(AppContext.BaseDirectory);

    // Internal to the SDK. If a later SDK renames it, this test fails and the memory question is asked again.
    private static readonly Type XmlLink = typeof(Base).Assembly.GetType("Hl7.Fhir.ElementModel.TypedElementAnnotatedProvider", throwOnError: true)!;

    [Theory]
    [InlineData("http://hl7.org/fhir/StructureDefinition/Patient")]
    [InlineData("http://hl7.org/fhir/StructureDefinition/Bundle")]
    [InlineData("http://hl7.org/fhir/ValueSet/administrative-gender")]
    public async System.Threading.Tasks.Task SpecResource_IsKeptWithoutItsXmlTree_AndUnchanged(string canonical)
    {
        var source = ZipSource.CreateValidationSource(ConformanceResolver.SpecificationZip);
        var original = (await source.TryResolveByCanonicalUriAsync(canonical)).Value!;
        Assert.True(Linked(original), "the SDK no longer links spec resources to their XML; this detaching can go");

        var kept = (await ConformanceResolver.Create(Directory).TryResolveByCanonicalUriAsync(canonical)).Value!;

        Assert.False(Linked(kept), $"{canonical} still holds its parsed XML");
        Assert.True(kept.IsExactly(original), $"{canonical} changed on the way");
    }

    private static bool Linked(Base element) =>
        ((IAnnotated)element).Annotations(XmlLink).Any()
        || element.EnumerateElements().Any(e => e.Value switch
        {
            Base child => Linked(child),
            IEnumerable<Base> children => children.Any(Linked),
            _ => false,
        });
}
