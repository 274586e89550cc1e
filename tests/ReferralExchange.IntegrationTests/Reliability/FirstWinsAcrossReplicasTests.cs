using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 15 §3: idempotent submissions and claims stay first-wins across replicas. Two gateway hosts
/// on one PostgreSQL database, each with its own group commit and connections and no in-process gate
/// between them (PostgreSQL gets <c>WriteGate.None()</c>), so what decides a race is the database: the
/// unique key on the referral's identifier and the conditional claim. The single-host tests
/// (ReferralIntakeTests, WorkflowTests) cannot show that: one host's group commit puts concurrent
/// requests in one transaction.
/// </summary>
public sealed class FirstWinsAcrossReplicasTests : IAsyncLifetime
{
    private const int Rounds = 6;

    private NotificationGateway _first = null!;
    private NotificationGateway _second = null!;

    public async Task InitializeAsync()
    {
        _first = await NotificationGateway.StartAsync(database: TestDatabase.PostgreSql());
        _second = await NotificationGateway.StartAsync(root: _first.RootDirectory, database: _first.Database);
        _second.DeleteOnDispose = false;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task SameReferral_SubmittedConcurrentlyThroughTwoReplicas_IsStoredOnce_EveryAnswerTheFirst()
    {
        var clients = Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? _first : _second).ClientFor(GatewayFixture.Psw)).ToList();
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                var referral = ReferralSamples.Native(referralId: $"FW-{round}-{Guid.NewGuid():N}"[..24]);

                var responses = await Task.WhenAll(clients.Select(c => c.PostNativeAsync(referral)));

                var statuses = responses.Select(r => (int)r.StatusCode).ToList();
                Assert.True(statuses.Count(s => s == 201) == 1, $"round {round}: {string.Join(",", statuses)}");
                Assert.All(statuses, s => Assert.True(s is 201 or 200, $"round {round}: {string.Join(",", statuses)}"));
                var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
                Assert.Single(bodies.Distinct());
                Assert.Equal(1, Database.Count(_first, "Referrals", $"\"IdentifierValue\" = '{referral["referralId"]!.GetValue<string>()}'"));
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
        await AssertChainVerifiesAsync();
    }

    [Fact]
    public async Task OpenReferral_ClaimedConcurrentlyThroughTwoReplicas_HasExactlyOneRecipient()
    {
        using var psw = _first.ClientFor(GatewayFixture.Psw);
        using var housing = _first.ClientFor(GatewayFixture.Housing);
        using var veterans = _second.ClientFor(GatewayFixture.Veterans);
        for (var round = 0; round < Rounds; round++)
        {
            var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: null, categories: ["homelessness"],
                consentRecipients: [GatewayFixture.Housing, GatewayFixture.Veterans]));

            var responses = await Task.WhenAll(housing.PostAsync($"/fhir/Task/{taskId}/$claim", null), veterans.PostAsync($"/fhir/Task/{taskId}/$claim", null));

            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) == 1 && statuses.Count(s => s == HttpStatusCode.Conflict) == 1,
                $"round {round}: {string.Join(",", statuses.Select(s => (int)s))}");
            var (winner, loser) = statuses[0] == HttpStatusCode.OK ? (housing, veterans) : (veterans, housing);
            Assert.Equal(HttpStatusCode.OK, (await winner.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await loser.GetAsync($"/fhir/Task/{taskId}")).StatusCode);
            Assert.Equal(1, Database.Count(_first, "ReferralParticipants", $"\"Role\" = '{ReferralExchange.Infrastructure.Persistence.Rows.ReferralParticipantRow.Recipient}' AND \"ReferralKey\" IN (SELECT \"ReferralKey\" FROM \"TaskIndex\" WHERE \"TaskId\" = '{taskId}')"));
        }
        await AssertChainVerifiesAsync();
    }

    /// <summary>Both hosts appended to one chain; it must still verify.</summary>
    private async Task AssertChainVerifiesAsync()
    {
        using var operatorClient = _second.ClientFor(GatewayFixture.Operator);
        var verified = await operatorClient.GetAsync("/operator/audit/verify");
        Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
    }
}
