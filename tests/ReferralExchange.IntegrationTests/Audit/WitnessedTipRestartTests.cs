using System.Net;
using System.Text.Json.Nodes;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// ADR 0026: a start takes the guard's tree at the newest witnessed checkpoint, proven from the
/// stored nodes against the signed root, and re-checks the records before it in the background.
/// What the proof rests on (the tip record, the stored frontier) is checked before the gateway
/// is ready; whatever fails it sends the start back to reading every record, which names the fault.
/// </summary>
public sealed class WitnessedTipRestartTests
{
    [Fact]
    public async Task Restart_OnAnIntactTrail_ResumesAtTheWitnessedTipAndRechecksTheRestInTheBackground()
    {
        var stopped = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        var tip = stopped.Witnessed()[^1].Checkpoint.Size;
        var gateway = await stopped.RestartAsync();
        try
        {
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("Audit trail resumed at the witnessed checkpoint") && line.Contains($"{tip}"));
            using var probe = HealthProbe.For(gateway);
            var integrity = await IntegrityCheckWhenRecheckedAsync(probe);
            Assert.Equal(tip, integrity["data"]!["recheckTarget"]!.GetValue<long>());
            Assert.Equal(tip, integrity["data"]!["recheckedRecords"]!.GetValue<long>());
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("Audit trail re-check done"));

            // It still signs: the new checkpoint grows the witnessed tree.
            await gateway.GenerateTrafficAsync(1);
            await gateway.CheckpointAsync();
            Assert.True(gateway.Witnessed()[^1].Checkpoint.Size > tip);
        }
        finally
        {
            await gateway.StopAsync();
            gateway.DeleteFolder();
        }
    }

    [Fact]
    public async Task Restart_OnAnEditedTipRecord_IsRefusedBeforeTheFirstRequest()
    {
        // The record the resumed tree would link to: its query column edited, its payload (the leaf) not.
        var stopped = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        var tip = stopped.Witnessed()[^1].Checkpoint.Size;
        StoppedTrail.Tamper(stopped, $"UPDATE \"AuditRecords\" SET \"Outcome\" = 4 WHERE \"Sequence\" = {tip}");

        var gateway = await stopped.RestartAsync();
        try
        {
            using var probe = HealthProbe.For(gateway);
            // No waiting: the start itself read every record.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await probe.GetAsync("/health/ready")).StatusCode);
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Audit trail resumed at the witnessed checkpoint"));
            var refusal = Assert.Single(gateway.Logs.Lines, line => line.Contains("Audit trail integrity check failed"));
            Assert.Contains($"audit record {tip}: a query column differs from its hashed content", refusal);
        }
        finally
        {
            await gateway.StopAsync();
            gateway.DeleteFolder();
        }
    }

    [Fact]
    public async Task Restart_OnARewrittenTreeNode_ReadsEveryRecordInstead()
    {
        // A stored frontier node of the witnessed size rewritten: it no longer hashes to the signed
        // root, so the start cannot resume there; the records themselves still produce the witnessed
        // roots, so the full pass finds the trail intact and the gateway serves and signs.
        var stopped = await StoppedTrail.TrafficCheckpointedThenStoppedAsync();
        var tip = stopped.Witnessed()[^1].Checkpoint.Size;
        var node = CompactRange.FrontierOf(tip)[0];
        StoppedTrail.Tamper(stopped, $"UPDATE \"AuditTreeNodes\" SET \"Hash\" = randomblob(32) WHERE \"Level\" = {node.Level} AND \"NodeIndex\" = {node.Index}");

        var gateway = await stopped.RestartAsync();
        try
        {
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Audit trail resumed at the witnessed checkpoint"));
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("The stored audit tree does not prove the witnessed checkpoint"));
            using var probe = HealthProbe.For(gateway);
            Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health/ready")).StatusCode);
            Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Audit trail integrity check failed"));
        }
        finally
        {
            await gateway.StopAsync();
            gateway.DeleteFolder();
        }
    }

    private static async Task<JsonNode> IntegrityCheckWhenRecheckedAsync(HttpClient probe)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var report = JsonNode.Parse(await probe.GetStringAsync("/health/ready"))!;
            var integrity = report["checks"]!["audit-integrity"]!;
            if (integrity["data"]!["recheckDone"]!.GetValue<bool>() || DateTime.UtcNow > until)
            {
                return integrity;
            }
            await Task.Delay(100);
        }
    }
}
