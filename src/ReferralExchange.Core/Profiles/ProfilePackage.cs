using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Profiles;

/// <summary>
/// Everything in <c>profiles/</c>: our StructureDefinitions, ValueSets, CodeSystems, the
/// CapabilityStatement and the example instances, for the rules that read them (delivered-service
/// codes, minimum necessary, the CapabilityStatement). Validation against the profiles is
/// Firely's validator over the same folder (<see cref="Validation.ProfileValidator"/>). Loaded
/// once at start-up; a policy change in those files is a data change, not a code change.
/// </summary>
public sealed class ProfilePackage
{
    private ProfilePackage(
        IReadOnlyList<StructureDefinition> structureDefinitions,
        IReadOnlyList<ValueSet> valueSets,
        IReadOnlyList<CodeSystem> codeSystems,
        CapabilityStatement? capabilityStatement,
        IReadOnlyList<string> exampleFiles)
    {
        StructureDefinitions = structureDefinitions;
        CapabilityStatement = capabilityStatement;
        ExampleFiles = exampleFiles;
        ValueSets = new ValueSetIndex(valueSets, codeSystems);
    }

    public IReadOnlyList<StructureDefinition> StructureDefinitions { get; }
    public ValueSetIndex ValueSets { get; }
    public CapabilityStatement? CapabilityStatement { get; }
    public IReadOnlyList<string> ExampleFiles { get; }

    public static ProfilePackage Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Profiles directory not found: {directory}");
        }
        var resources = Directory.GetFiles(directory, "*.json", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(f => FhirJson.ParseStored(File.ReadAllText(f)))
            .ToList();
        var examplesDir = Path.Combine(directory, "examples");
        var examples = Directory.Exists(examplesDir)
            ? Directory.GetFiles(examplesDir, "*.json").Order(StringComparer.Ordinal).ToList()
            : [];
        return new ProfilePackage(
            resources.OfType<StructureDefinition>().ToList(),
            resources.OfType<ValueSet>().ToList(),
            resources.OfType<CodeSystem>().ToList(),
            resources.OfType<CapabilityStatement>().FirstOrDefault(),
            examples);
    }

    /// <summary>Finds <c>profiles/</c> by walking up from a start directory (the app base or the repo).</summary>
    public static string Locate(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "profiles");
            if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "StructureDefinition-*.json").Length > 0)
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No profiles/ folder found above {startDirectory}");
    }
}
