using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>
/// One Firely validator for the whole test run: its warm-up costs seconds of CPU. Warmed as the
/// gateway warms it before it listens (SharedProfileValidator), by validating every example once:
/// Firely compiles schemas lazily, and test classes running in parallel once met its compilation
/// of the same StructureDefinition on two threads (an NRE reported as "Failed to convert ElementDefinition").
/// </summary>
public static class SharedValidator
{
    private static readonly Lazy<ProfileValidator> Instance = new(() =>
    {
        var directory = ProfilePackage.Locate(AppContext.BaseDirectory);
        var validator = ProfileValidator.ForProfiles(directory);
        validator.WarmUp(ProfilePackage.Load(directory).ExampleFiles.Select(f => FhirJson.ParseStored(File.ReadAllText(f))));
        return validator;
    });

    public static ProfileValidator Get => Instance.Value;
}
