using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Snapshot;
using Hl7.Fhir.Specification.Source;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// Where the validator finds StructureDefinitions, ValueSets and CodeSystems: our
/// <c>profiles/</c> folder and the FHIR R4 (4.0.1) specification zip shipped by
/// Hl7.Fhir.Specification.Data.R4. Our profiles are differentials (FHIR R4 §2.27.0.1), so their
/// snapshots are generated here, once, against the spec's base definitions, and a profile whose
/// snapshot cannot be made stops the start. The snapshot generator is not thread-safe; generating
/// every snapshot up front, before any request, keeps it off the concurrent path altogether.
/// </summary>
public static class ConformanceResolver
{
    /// <summary>The Specification.Data package copies the zip beside the assemblies.</summary>
    public static string SpecificationZip => Path.Combine(AppContext.BaseDirectory, "specification.zip");

    public static IAsyncResourceResolver Create(string profilesDirectory)
    {
        if (!File.Exists(SpecificationZip))
        {
            throw new FileNotFoundException($"The FHIR specification zip is missing beside the assemblies: {SpecificationZip}");
        }
        var core = ZipSource.CreateValidationSource(SpecificationZip);
        // Only the top folder: profiles/examples holds instances, not conformance resources.
        var ours = Directory.GetFiles(profilesDirectory, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(f => FhirJson.ParseStored(File.ReadAllText(f)))
            .ToList();
        var local = new InMemoryResourceResolver(ours);
        var generator = new SnapshotGenerator(new MultiResolver(local, core));
        foreach (var profile in ours.OfType<StructureDefinition>())
        {
            // Start-up, no synchronization context: blocking here cannot deadlock.
            generator.UpdateAsync(profile).GetAwaiter().GetResult();
            var errors = generator.Outcome?.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList() ?? [];
            if (errors.Count > 0 || !profile.HasSnapshot)
            {
                throw new InvalidOperationException($"No snapshot for {profile.Url}: {string.Join("; ", errors.Select(e => e.Details?.Text ?? e.Diagnostics))}");
            }
        }
        // No CachedResolver: SerializedResolver keeps every answer for the life of the process, and a
        // second cache would keep the spec's XML-linked originals beside the detached copies.
        // The generated snapshots copied the spec's elements, and with them their links to its XML
        // (see SerializedResolver): the kept profiles are detached copies.
        return new SerializedResolver(new MultiResolver(new InMemoryResourceResolver(ours.Select(FhirJson.Detach)), core));
    }
}
