using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using ReferralExchange.Core.Fhir;

namespace ReferralExchange.Core.Validation;

/// <summary>
/// What Firely's validator resolves through, made safe and cheap for requests that validate concurrently:
/// <list type="bullet">
/// <item>A first resolution runs one at a time. The spec zip's index and the resolution cache are
/// loaded lazily and are not documented as thread-safe.</item>
/// <item>A repeat is answered from this class's own concurrent map, already completed, without the
/// gate. The validator is synchronous and waits on every resolution (sync over async), and its
/// terminology service resolves the ValueSet and CodeSystem of every binding on every validation:
/// about 45 resolutions per referral. Through the gate, concurrent submissions queued on it and
/// each waiting thread spun (Task.SpinWait was half the gateway's CPU under 32 connections,
/// docs/benchmarks.md "Where the time goes"). The sources never change while the process runs, so
/// a resolution, found or not, is final.</item>
/// <item>Every StructureDefinition handed out is the caller's own copy. The validator compiles
/// schemas lazily, on first use, and before compiling it passes each StructureDefinition through
/// its <c>StructureDefinitionCorrectionsResolver</c>, which <em>edits it in place</em> (it rewrites
/// constraint expressions and appends constraints to Bundle). Handing out the cached instance let
/// two requests compiling the same type edit and read one object at once, a NullReferenceException
/// reported as "Failed to convert ElementDefinition"; it also let each compilation append its
/// corrections again to the one cached object. The kept original is only ever read (copied).
/// A copy costs a few milliseconds once per schema: compiled schemas are cached by the validator,
/// so after the warm-up StructureDefinitions are not resolved at all.</item>
/// <item>What is kept is a detached copy, re-read from its JSON. The spec zip's resources are parsed
/// from XML, and the SDK's POCO builder links every element it builds back to the parsed XML node
/// (for the node's annotations), so each kept StructureDefinition held its whole XML tree alive:
/// 118,000 nodes, about 100 MB of a 165 MB heap after the warm-up (issue 11, RSS). Deep copies
/// carry the links too; a JSON round trip does not, and gives the same resource (the test checks it).</item>
/// </list>
/// </summary>
public sealed class SerializedResolver(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, ResolverResult> _byUri = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ResolverResult> _byCanonical = new(StringComparer.Ordinal);

    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        OwnCopy(_byUri.TryGetValue(uri, out var known) ? known : await FirstAsync(_byUri, uri, () => inner.TryResolveByUriAsync(uri)));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        OwnCopy(_byCanonical.TryGetValue(uri, out var known) ? known : await FirstAsync(_byCanonical, uri, () => inner.TryResolveByCanonicalUriAsync(uri)));

    // The SDK's obsolete members, which the validator's corrections resolver still calls: the same
    // answers (and copies) as the members above, found or null.
    [Obsolete("The SDK's own obsolete members; the validator's corrections resolver still calls them.")]
    public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri)).Value;

    [Obsolete("The SDK's own obsolete members; the validator's corrections resolver still calls them.")]
    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri)).Value;

    private static ResolverResult OwnCopy(ResolverResult result) =>
        result.Value is StructureDefinition definition ? new ResolverResult((Resource)definition.DeepCopy()) : result;

    private static ResolverResult Detached(ResolverResult result) =>
        result.Value is { } resource ? new ResolverResult(FhirJson.Detach(resource)) : result;

    /// <summary>Resolves under the gate and keeps the answer; a caller that waited for the gate finds its answer kept.</summary>
    private async Task<ResolverResult> FirstAsync(ConcurrentDictionary<string, ResolverResult> known, string uri, Func<Task<ResolverResult>> resolve)
    {
        await _gate.WaitAsync();
        try
        {
            if (known.TryGetValue(uri, out var kept))
            {
                return kept;
            }
            var result = Detached(await resolve());
            known[uri] = result;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
