using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using ReferralExchange.Core.Errors;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// Validates an instance with Firely's validator against base R4 and the profiles it claims in
/// <c>meta.profile</c> (FHIR R4 §2.4 "Resource Validation", §2.27 "Profiling"): structure,
/// cardinality, fixed and pattern values, bindings through a local terminology service over our
/// ValueSets and CodeSystems and the spec's, and every invariant (ele-1, txt-1/txt-2, per-1,
/// ext-1, dom-3 ...), including those of our profiles. An unknown modifierExtension is an error
/// (FHIR R4 §2.18.0.2: a system must not ignore a modifier it does not understand).
/// Build one per process: the snapshots and compiled schemas it caches cost seconds to make.
/// </summary>
public sealed class ProfileValidator
{
    private readonly Validator _validator;

    public ProfileValidator(IAsyncResourceResolver resolver)
    {
        var terminology = new LocalTerminologyService(resolver);
        _validator = new Validator(resolver, terminology, null, new ValidationSettings());
    }

    public static ProfileValidator ForProfiles(string profilesDirectory) => new(ConformanceResolver.Create(profilesDirectory));

    public IReadOnlyList<Issue> Validate(Resource resource) =>
        [.. ValidatorIssueMapper.Map(_validator.Validate(resource), resource.TypeName), .. NarrativeReferences.Check(resource)];

    /// <summary>Throws an Unprocessable <see cref="GatewayException"/> with every error found.</summary>
    public void EnsureValid(Resource resource)
    {
        var issues = Validate(resource);
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }
    }

    /// <summary>
    /// Generates the snapshots and compiles the schemas of every type the gateway accepts before
    /// the first request needs them, by validating one instance of each. Returns the time taken.
    /// </summary>
    public TimeSpan WarmUp(IEnumerable<Resource> instances)
    {
        var clock = Stopwatch.StartNew();
        foreach (var instance in instances)
        {
            _validator.Validate(instance);
        }
        return clock.Elapsed;
    }
}
