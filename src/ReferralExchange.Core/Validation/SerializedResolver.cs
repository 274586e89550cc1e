using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// What Firely's validator resolves through, made safe for requests that validate concurrently:
/// <list type="bullet">
/// <item>One resolution at a time. The spec zip's index and the resolution cache are loaded lazily
/// and are not documented as thread-safe; after the warm-up a resolution is a cache hit, so the
/// lock is held for microseconds.</item>
/// <item>Every StructureDefinition handed out is the caller's own copy. The validator compiles
/// schemas lazily, on first use, and before compiling it passes each StructureDefinition through
/// its <c>StructureDefinitionCorrectionsResolver</c>, which <em>edits it in place</em> (it rewrites
/// constraint expressions and appends constraints to Bundle). Handing out the cached instance let
/// two requests compiling the same type edit and read one object at once, a NullReferenceException
/// reported as "Failed to convert ElementDefinition"; it also let each compilation append its
/// corrections again to the one cached object. A copy costs a few milliseconds once per schema:
/// compiled schemas are cached by the validator.</item>
/// </list>
/// </summary>
public sealed class SerializedResolver(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        OwnCopy(await Serialized(() => inner.TryResolveByUriAsync(uri)));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        OwnCopy(await Serialized(() => inner.TryResolveByCanonicalUriAsync(uri)));

    [Obsolete("The SDK's own obsolete members; the validator's corrections resolver still calls them.")]
    public async Task<Resource?> ResolveByUriAsync(string uri) =>
        OwnCopy(await Serialized(() => inner.ResolveByUriAsync(uri)));

    [Obsolete("The SDK's own obsolete members; the validator's corrections resolver still calls them.")]
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) =>
        OwnCopy(await Serialized(() => inner.ResolveByCanonicalUriAsync(uri)));

    private static Resource? OwnCopy(Resource? resource) => resource is StructureDefinition definition ? (Resource)definition.DeepCopy() : resource;

    private static ResolverResult OwnCopy(ResolverResult result) =>
        result.Value is StructureDefinition definition ? new ResolverResult((Resource)definition.DeepCopy()) : result;

    private async Task<T> Serialized<T>(Func<Task<T>> resolve)
    {
        await _gate.WaitAsync();
        try
        {
            return await resolve();
        }
        finally
        {
            _gate.Release();
        }
    }
}
