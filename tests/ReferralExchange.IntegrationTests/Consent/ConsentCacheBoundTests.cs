using System.Net;
using ReferralExchange.Core.Privacy;
using ReferralExchange.IntegrationTests.Infrastructure;
using ReferralExchange.Infrastructure.Privacy;

namespace ReferralExchange.IntegrationTests.Consent;

/// <summary>
/// The parsed-consent cache is bounded (it would otherwise grow with every referral ever read), and
/// a decision never depends on what it still holds: a gateway whose cache keeps one Consent decides
/// every referral of an inbox exactly as one whose cache keeps them all.
/// </summary>
public sealed class ConsentCacheBoundTests(ConsentCacheBoundTests.OneEntryGateway gateway) : IClassFixture<ConsentCacheBoundTests.OneEntryGateway>
{
    public sealed class OneEntryGateway : GatewayFixture
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Gateway:ConsentCacheEntries", "1")];
    }

    [Fact]
    public async Task Inbox_WithACacheOfOneConsent_ListsAndOpensEveryPermittedReferral()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var tasks = new List<string>();
        for (var i = 0; i < 5; i++) tasks.Add((await psw.SubmitReferralAsync(ReferralSamples.Native())).TaskId);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var inbox = await (await provider.GetAsync($"/fhir/Task?owner=Organization/{GatewayFixture.BehavioralHealth}&status=requested&_count=100")).JsonAsync();
        var listed = inbox["entry"]!.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()).ToHashSet();

        Assert.Superset(listed, tasks.ToHashSet());
        foreach (var task in tasks)
        {
            Assert.Equal(HttpStatusCode.OK, (await provider.GetAsync($"/fhir/Task/{task}")).StatusCode);
        }
    }

    [Fact]
    public async Task SharedCache_KeepsNoMoreThanItsBound()
    {
        using var cache = new ConsentPolicyCache(entries: 50);
        for (var i = 0; i < 1000; i++) cache.Add($"c{i}", 1, Policy($"c{i}"));

        // Compaction runs in the background once the bound is reached.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cache.Count > 50 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.InRange(cache.Count, 1, 50);
    }

    [Fact]
    public void UncommittedReads_SeeTheSharedCache_ButKeepWhatTheyParseToThemselves()
    {
        using var shared = new ConsentPolicyCache(entries: 10);
        shared.Add("committed", 1, Policy("committed"));
        var inTransaction = shared.ForUncommittedReads();
        inTransaction.Add("uncommitted", 1, Policy("uncommitted"));

        Assert.True(inTransaction.TryGet("committed", 1, out _));
        Assert.True(inTransaction.TryGet("uncommitted", 1, out _));
        Assert.False(shared.TryGet("uncommitted", 1, out _));
    }

    private static ConsentPolicy Policy(string id) =>
        new(id, true, DateTimeOffset.UtcNow, "p", new ConsentProvision(true, null, null, [], [], [], [], []), null);
}
