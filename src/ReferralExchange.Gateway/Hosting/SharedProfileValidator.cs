using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Profiles;
using ReferralExchange.Core.Routing;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// One validator per profiles folder per process, built and warmed once (ADR 0016): generating
/// the snapshots and compiling the schemas of the accepted types costs tens of seconds of CPU,
/// and the result is immutable, so hosts that share a process (the tests' hosts) share it too.
/// The warm-up runs beside the start-up and the first requests (ADR 0026); validations wait for it.
/// </summary>
public static class SharedProfileValidator
{
    private static readonly ConcurrentDictionary<string, Lazy<WarmValidator>> Validators = new(StringComparer.Ordinal);

    /// <summary>Types accepted or emitted without an example in profiles/examples: warmed from an empty instance.</summary>
    private static readonly Resource[] OtherAcceptedTypes = [new PractitionerRole(), new Subscription()];

    public static WarmValidator For(ProfilePackage package, string profilesDirectory) =>
        Validators.GetOrAdd(Path.GetFullPath(profilesDirectory), directory => new Lazy<WarmValidator>(() =>
        {
            var (validator, ready) = ProfileValidator.StartForProfiles(directory, () => package.ExampleFiles.Select(f => FhirJson.ParseStored(File.ReadAllText(f)))
                .Concat(OtherAcceptedTypes)
                .Concat(WarmUpReferrals.Instances(CategoryRouting.Default, LabelingRules.Default))
                .ToList());
            return new WarmValidator(validator, ready);
        })).Value;
}

/// <summary>A validator and its warm-up, which ends with how long it took (logged).</summary>
public sealed record WarmValidator(ProfileValidator Validator, Task<TimeSpan> WarmUp);
