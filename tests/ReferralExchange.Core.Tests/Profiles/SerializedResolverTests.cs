using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using ReferralExchange.Core.Validation;

namespace ReferralExchange.Core.Tests.Profiles;

/// <summary>
/// Firely's validator waits synchronously on every resolution, and its terminology service resolves
/// each binding's ValueSet and CodeSystem on every validation. A repeat must therefore be answered
/// at once, without queueing behind another caller's first resolution (docs/benchmarks.md).
/// </summary>
public sealed class SerializedResolverTests
{
    private const string Known = "https://referral-exchange.example/fhir/ValueSet/data-class";
    private const string Slow = "https://referral-exchange.example/fhir/ValueSet/slow";

    [Fact]
    public async System.Threading.Tasks.Task RepeatResolution_IsAnsweredWithoutAskingTheSourcesAgain()
    {
        var inner = new ScriptedResolver();
        var resolver = new SerializedResolver(inner);

        var first = await resolver.TryResolveByCanonicalUriAsync(Known);
        var second = await resolver.TryResolveByCanonicalUriAsync(Known);
        var missing = await resolver.TryResolveByCanonicalUriAsync("https://nowhere.example/ValueSet/none");
        var missingAgain = await resolver.TryResolveByCanonicalUriAsync("https://nowhere.example/ValueSet/none");

        Assert.Same(first.Value, second.Value);
        Assert.Null(missing.Value);
        Assert.Null(missingAgain.Value);
        Assert.Equal(1, inner.Calls(Known));
        Assert.Equal(1, inner.Calls("https://nowhere.example/ValueSet/none"));
    }

    [Fact]
    public async System.Threading.Tasks.Task RepeatResolution_DoesNotWaitBehindAnotherCallersFirstResolution()
    {
        var inner = new ScriptedResolver();
        var resolver = new SerializedResolver(inner);
        await resolver.TryResolveByCanonicalUriAsync(Known);

        var held = resolver.TryResolveByCanonicalUriAsync(Slow); // holds the gate until released
        await inner.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var repeat = resolver.TryResolveByCanonicalUriAsync(Known);

        Assert.True(repeat.IsCompletedSuccessfully, "a known resolution waited for the gate");
        Assert.False(held.IsCompleted);
        inner.ReleaseSlow.SetResult();
        Assert.NotNull((await held).Value);
    }

    private sealed class ScriptedResolver : IAsyncResourceResolver
    {
        private readonly Dictionary<string, int> _calls = [];

        public TaskCompletionSource SlowStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource ReleaseSlow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls(string uri) { lock (_calls) { return _calls.GetValueOrDefault(uri); } }

        public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri)
        {
            lock (_calls) { _calls[uri] = _calls.GetValueOrDefault(uri) + 1; }
            if (uri == Slow)
            {
                SlowStarted.SetResult();
                await ReleaseSlow.Task;
            }
            return uri.StartsWith("https://referral-exchange.example/", StringComparison.Ordinal)
                ? new ResolverResult(new ValueSet { Url = uri })
                : new ResolverResult(new ResolverException(ResolverException.NOT_FOUND, $"{uri} is not known"));
        }

        public Task<ResolverResult> TryResolveByUriAsync(string uri) => TryResolveByCanonicalUriAsync(uri);

#pragma warning disable CS0618, CS0672
        public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri)).Value;

        public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri)).Value;
#pragma warning restore CS0618, CS0672
    }
}
