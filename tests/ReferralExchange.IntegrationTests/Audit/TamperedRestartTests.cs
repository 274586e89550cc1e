using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Issue 12 §4–§5, the tamperings of the issue that leave the Merkle tree over the payloads intact
/// or unreadable rather than re-forged: done with raw SQL on a stopped gateway's SQLite file (the
/// triggers put back afterwards, as a careful forger would), a gateway started on it must sign
/// nothing, be unready, refuse writes and log one line naming the record; the operator's
/// verification names it too. The records edited here are before the witnessed checkpoint, so the
/// start resumes after them and the background re-check finds them (ADR 0026).
/// </summary>
public sealed class TamperedRestartTests
{
    [Fact]
    public async Task Restart_OnARecordWhosePayloadWasRetyped_SignsNothingAndNamesTheRecord()
    {
        var gateway = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        StoppedTrail.Tamper(gateway, "UPDATE \"AuditRecords\" SET \"Payload\" = CAST(\"Payload\" AS TEXT) WHERE \"Sequence\" = 3");

        await AssertRestartRefusesAsync(gateway, "audit record 3: its payload is TEXT", 3);
    }

    [Fact]
    public async Task Restart_OnADisclosureHiddenByItsOutcomeColumn_SignsNothingAndNamesTheRecord()
    {
        // The payload (the tree's leaf) is untouched: only the column the accounting of disclosures
        // filters on says "failed", so the person's accounting would silently drop this disclosure.
        var gateway = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        var disclosure = AuditLogFile.FirstRecord(gateway,
            $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}' AND \"Action\" = 'read' AND \"Outcome\" = 0 AND \"PatientId\" IS NOT NULL");
        StoppedTrail.Tamper(gateway, $"UPDATE \"AuditRecords\" SET \"Outcome\" = 4 WHERE \"Sequence\" = {disclosure}");

        await AssertRestartRefusesAsync(gateway, $"audit record {disclosure}: a query column differs from its hashed content", disclosure);
    }

    [Fact]
    public async Task Restart_OnARecordEditedWithoutRechaining_SignsNothingAndNamesTheRecord()
    {
        // The tree nodes are rebuilt by nobody: the guard recomputes the tree from the records, so
        // this is also caught as a root differing from the witness; the chain check names the record.
        var gateway = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        var reader = AuditLogFile.FirstRecord(gateway, $"\"PartnerId\" = '{GatewayFixture.BehavioralHealth}'");
        StoppedTrail.Tamper(gateway, $"UPDATE \"AuditRecords\" SET \"Payload\" = CAST(REPLACE(CAST(\"Payload\" AS TEXT), 'bh-riverside', 'va-central') AS BLOB), \"PartnerId\" = 'va-central' WHERE \"Sequence\" = {reader}");

        await AssertRestartRefusesAsync(gateway, $"audit record {reader}: content does not match its hash", reader);
    }

    private static async Task AssertRestartRefusesAsync(WitnessedGateway stopped, string reason, long record)
    {
        var witnessedBefore = stopped.Witnessed().Count;
        var gateway = await stopped.RestartAsync();
        try
        {
            // The edited record is before the witnessed checkpoint, so the background re-check finds it (ADR 0026).
            using var probe = HealthProbe.For(gateway);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthProbe.ReadyStatusWithinAsync(probe, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)));
            using var psw = gateway.ClientFor(GatewayFixture.Psw);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await psw.PostNativeAsync(ReferralSamples.Native())).StatusCode);
            using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await operatorClient.PostAsync("/operator/audit/checkpoints", null)).StatusCode);
            var refusal = Assert.Single(gateway.Logs.Lines, line => line.Contains("Audit trail integrity check failed"));
            Assert.Contains(reason, refusal);

            var (status, report) = await AuditClient.VerifyAsync(gateway);
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal(record, report["firstBrokenSequence"]!.GetValue<long>());

            await gateway.StopAsync();
            Assert.Equal(witnessedBefore, gateway.Witnessed().Count);
            var (exit, output) = await gateway.VerifyAsync();
            Assert.Equal(2, exit);
            Assert.StartsWith($"BROKEN at record {record}", output);
        }
        finally
        {
            gateway.DeleteFolder();
        }
    }
}
