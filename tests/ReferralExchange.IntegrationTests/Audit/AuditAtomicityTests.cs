using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>Nothing happens without its record, and concurrent writers leave one unbroken chain.</summary>
public abstract class AuditAtomicitySpec(GatewayFixture gateway)
{
    [Fact]
    public async Task Submission_WhenTheAuditWriteFails_StoresNothingAndAnswers500()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        var before = Database.Count(gateway, "ResourceVersions");
        var referrals = Database.Count(gateway, "Referrals");
        using (AuditInsertFault.Inject(gateway))
        {
            var response = await psw.PostNativeAsync(ReferralSamples.Native());

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("OperationOutcome", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
            Assert.Equal(before, Database.Count(gateway, "ResourceVersions"));
            Assert.Equal(referrals, Database.Count(gateway, "Referrals"));
        }
    }

    [Fact]
    public async Task Read_WhenTheAuditWriteFails_SendsNoData()
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var (taskId, _) = await psw.SubmitReferralAsync(ReferralSamples.Native());
        using (AuditInsertFault.Inject(gateway))
        {
            var response = await provider.GetAsync($"/fhir/Task/{taskId}");
            var body = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.DoesNotContain(taskId, body);
        }
    }

    [Fact]
    public async Task ConcurrentSubmissionsAndReads_LeaveOneUnbrokenChain()
    {
        var clients = Enumerable.Range(0, 8).Select(_ => gateway.ClientFor(GatewayFixture.Psw)).ToList();
        using var provider = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        var before = new AuditTampering(gateway).Head;

        var work = clients.SelectMany(c => Enumerable.Range(0, 5).Select(async _ =>
        {
            var (taskId, _) = await c.SubmitReferralAsync(ReferralSamples.Native());
            (await provider.GetAsync($"/fhir/Task/{taskId}")).EnsureSuccessStatusCode();
        }));
        await Task.WhenAll(work);
        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["isIntact"]!.GetValue<bool>());
        // 40 submissions (one record each) and 40 reads (the consent decision and the read).
        Assert.Equal(before + 120, new AuditTampering(gateway).Head);
        Assert.Equal(new AuditTampering(gateway).Head, Database.Count(gateway, "AuditRecords"));
        clients.ForEach(c => c.Dispose());
    }
}

/// <summary>The tests above on the embedded SQLite file.</summary>
public sealed class AuditAtomicityTests(GatewayFixture gateway) : AuditAtomicitySpec(gateway), IClassFixture<GatewayFixture>;

/// <summary>The tests above on a real PostgreSQL server, the gateway running as the runtime role.</summary>
public sealed class AuditAtomicityTestsOnPostgreSql(PostgreSqlGatewayFixture gateway) : AuditAtomicitySpec(gateway), IClassFixture<PostgreSqlGatewayFixture>;
