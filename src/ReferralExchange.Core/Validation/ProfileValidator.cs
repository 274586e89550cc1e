using System.Diagnostics;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using ReferralExchange.Core.Errors;
using Task = System.Threading.Tasks.Task;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// Validates an instance with Firely's validator against base R4 and the profiles it claims in
/// <c>meta.profile</c> (FHIR R4 §2.4 "Resource Validation", §2.27 "Profiling"): structure,
/// cardinality, fixed and pattern values, bindings through a local terminology service over our
/// ValueSets and CodeSystems and the spec's, and every invariant (ele-1, txt-1/txt-2, per-1,
/// ext-1, dom-3 ...), including those of our profiles. An unknown modifierExtension is an error
/// (FHIR R4 §2.18.0.2: a system must not ignore a modifier it does not understand).
/// Build one per process: the snapshots and compiled schemas it caches cost seconds to make.
/// Requests validate through <see cref="ValidateAsync"/> and <see cref="EnsureValidAsync"/>, which
/// run no more validations at once than <see cref="Gate"/> allows (ADR 0030).
/// </summary>
public sealed class ProfileValidator
{
    private Validator _validator = null!;
    private Task _warmUp = Task.CompletedTask;

    public ProfileValidator(IAsyncResourceResolver resolver, int? concurrency = null) : this(concurrency) => _validator = Build(resolver);

    private ProfileValidator(int? concurrency) => Gate = new ValidationGate(concurrency ?? ValidationGate.DefaultConcurrency);

    public ValidationGate Gate { get; }

    private static Validator Build(IAsyncResourceResolver resolver) =>
        new(resolver, new LocalTerminologyService(resolver), null, new ValidationSettings());

    public static ProfileValidator ForProfiles(string profilesDirectory) => new(ConformanceResolver.Create(profilesDirectory));

    /// <summary>
    /// Every issue of every resource, validated under one slot of the gate. A request waiting for
    /// a slot, or for the warm-up, holds no thread meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<Issue>> ValidateAsync(IEnumerable<Resource> resources, CancellationToken ct)
    {
        if (!_warmUp.IsCompleted)
        {
            try
            {
                await _warmUp.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (Exception) when (_warmUp.IsFaulted)
            {
                // Validate answers a failed warm-up as the gateway's fault (503), as it does after it.
            }
        }
        return await Gate.RunAsync(() => resources.SelectMany(Validate).ToList(), ct).ConfigureAwait(false);
    }

    /// <summary>Throws an Unprocessable <see cref="GatewayException"/> with every error found.</summary>
    public Task EnsureValidAsync(Resource resource, CancellationToken ct) => EnsureValidAsync([resource], ct);

    /// <summary>Throws an Unprocessable <see cref="GatewayException"/> with every error of every resource, under one slot.</summary>
    public async Task EnsureValidAsync(IEnumerable<Resource> resources, CancellationToken ct)
    {
        var issues = await ValidateAsync(resources, ct).ConfigureAwait(false);
        if (issues.Count > 0)
        {
            throw new GatewayException(ErrorKind.Unprocessable, issues);
        }
    }

    /// <summary>One resource on the calling thread, outside the gate: for tools and tests, not for requests.</summary>
    public IReadOnlyList<Issue> Validate(Resource resource)
    {
        // A validation that arrives during the warm-up waits for it rather than compiling the same
        // schemas beside it: Firely shares no compilation in progress (ADR 0025) and two at once
        // once failed with a NullReferenceException inside the SDK.
        if (!_warmUp.IsCompletedSuccessfully)
        {
            WaitForWarmUp();
        }
        return [.. ValidatorIssueMapper.Map(_validator.Validate(resource), resource.TypeName), .. NarrativeReferences.Check(resource)];
    }

    private void WaitForWarmUp()
    {
        try
        {
            _warmUp.GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is not GatewayException)
        {
            // The profiles could not be compiled: the gateway's fault, not the client's, and lasting
            // until an operator mends them (the readiness check says so), so 503 rather than a bare 500.
            throw new GatewayException(ErrorKind.Unavailable, "exception", "The gateway cannot validate submissions: its profiles could not be compiled for validation");
        }
    }

    /// <summary>
    /// Generates the snapshots and compiles the schemas of every type the gateway accepts before
    /// the first request needs them, by validating one instance of each. Returns the time taken.
    /// </summary>
    public TimeSpan WarmUp(IEnumerable<Resource> instances)
    {
        if (!_warmUp.IsCompleted)
        {
            throw new InvalidOperationException("a warm-up is already running");
        }
        return RunWarmUp(instances);
    }

    private TimeSpan RunWarmUp(IEnumerable<Resource> instances)
    {
        var clock = Stopwatch.StartNew();
        foreach (var instance in instances)
        {
            _validator.Validate(instance);
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// Builds the validator over <paramref name="profilesDirectory"/> (the snapshots of our profiles)
    /// and warms it with <paramref name="warmUpInstances"/>, on a thread of its own so that a host
    /// can listen meanwhile (ADR 0026). Every <see cref="Validate"/> until then waits for it, and
    /// fails as it failed. The task ends with the time the whole took.
    /// </summary>
    public static (ProfileValidator Validator, Task<TimeSpan> Ready) StartForProfiles(string profilesDirectory, Func<IEnumerable<Resource>> warmUpInstances)
    {
        var validator = new ProfileValidator(concurrency: null);
        var ready = new Task<TimeSpan>(() =>
        {
            var clock = Stopwatch.StartNew();
            validator._validator = Build(ConformanceResolver.Create(profilesDirectory));
            validator.RunWarmUp(warmUpInstances());
            return clock.Elapsed;
        }, TaskCreationOptions.LongRunning);
        validator._warmUp = ready;
        ready.Start(TaskScheduler.Default);
        return (validator, ready);
    }
}
