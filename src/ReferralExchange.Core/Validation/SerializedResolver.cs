using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// One resolution at a time. The spec zip's index and the resolution cache are loaded lazily and
/// are not documented as thread-safe, while requests validate concurrently; after the warm-up a
/// resolution is a cache hit, so the lock is held for microseconds.
/// </summary>
public sealed class SerializedResolver(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        await Serialized(() => inner.TryResolveByUriAsync(uri));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        await Serialized(() => inner.TryResolveByCanonicalUriAsync(uri));

    [Obsolete("The SDK's own obsolete members; the validator calls the Try* ones.")]
    public async Task<Resource?> ResolveByUriAsync(string uri) =>
        await Serialized(() => inner.ResolveByUriAsync(uri));

    [Obsolete("The SDK's own obsolete members; the validator calls the Try* ones.")]
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) =>
        await Serialized(() => inner.ResolveByCanonicalUriAsync(uri));

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
