using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Reliability;

/// <summary>
/// Issue 15 §3, ADR 0020: two real gateway processes on one PostgreSQL database take concurrent
/// submissions and Task moves and deliver notifications to a partner endpoint; one is killed with
/// SIGKILL mid-run. Afterwards every acknowledged (201/200) write is there, every notification was
/// received (counted by X-Delivery-Id; a second delivery only of what the dead replica had in
/// flight), the other replica took over checkpoint signing when the dead one's lease expired, and
/// the audit chain verifies, through the gateway and with rx against the database.
/// </summary>
public sealed class TwoReplicasKillTests
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Gateway__Notifications__PollInterval"] = "00:00:00.200",
        ["Gateway__Notifications__RetryBase"] = "00:00:00.100",
        ["Gateway__Notifications__RetryCap"] = "00:00:01",
        ["Gateway__Notifications__AttemptTimeout"] = "00:00:05",
        // A dead replica's leased notifications are taken over this long after it died.
        ["Gateway__Notifications__LeaseDuration"] = "00:00:10",
        ["Gateway__Audit__CheckpointPollInterval"] = "00:00:01",
        ["Gateway__Audit__CheckpointEveryRecords"] = "20",
        ["Gateway__Audit__CheckpointSignerLease"] = "00:00:05",
    };

    [Fact]
    public async Task TwoReplicas_OneKilledMidRun_LoseNothingAcknowledged_DeliverEachNotification_ChainVerifies()
    {
        // The operator's set-up (migrate, register the endpoint, subscribe) on the database the replicas share.
        var setup = await NotificationGateway.StartAsync(database: TestDatabase.PostgreSql());
        setup.DeleteOnDispose = false;
        var root = setup.RootDirectory;
        var database = (PostgreSqlTestDatabase)setup.Database;
        using var endpoint = new PartnerEndpointStandIn(setup);
        await NotificationFlow.SubscribeAsync(setup, GatewayFixture.BehavioralHealth, endpoint);
        await setup.DisposeAsync();

        await using var doomed = ReplicaProcess.Start(root, database, Settings);
        await using var survivor = ReplicaProcess.Start(root, database, Settings);
        var clients = new Dictionary<(ReplicaProcess, string), HttpClient>();
        foreach (var replica in new[] { doomed, survivor })
        foreach (var partner in new[] { GatewayFixture.Psw, GatewayFixture.BehavioralHealth })
        {
            clients[(replica, partner)] = await replica.ClientAsync(root, partner);
        }

        var submitted = new ConcurrentBag<string>();
        var accepted = new ConcurrentBag<string>();
        var killed = 0;
        var receivedAtKill = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                // Half the workers start on each replica; once one is dead, everything goes to the other.
                var replica = Volatile.Read(ref killed) == 0 && (worker + round) % 2 == 0 ? doomed : survivor;
                try
                {
                    var response = await clients[(replica, GatewayFixture.Psw)].PostNativeAsync(ReferralSamples.Native(referralId: "REPL-" + Guid.NewGuid().ToString("N")[..16]));
                    if (response.StatusCode != HttpStatusCode.Created) continue;
                    var taskId = (await response.JsonAsync())["entry"]!.AsArray().Select(e => e!["response"]!["location"]!.GetValue<string>())
                        .Single(l => l.StartsWith("Task/", StringComparison.Ordinal)).Split('/')[1];
                    submitted.Add(taskId);
                    // The owner accepts through the other replica, when it is alive.
                    var mover = Volatile.Read(ref killed) == 0 && replica == survivor ? doomed : survivor;
                    var owner = clients[(mover, GatewayFixture.BehavioralHealth)];
                    var task = await (await owner.GetAsync($"/fhir/Task/{taskId}")).JsonAsync();
                    task["status"] = "accepted";
                    var moved = await owner.PutFhirAsync($"/fhir/Task/{taskId}", task, $"W/\"{task["meta"]!["versionId"]!.GetValue<string>()}\"");
                    if (moved.StatusCode == HttpStatusCode.OK) accepted.Add(taskId);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // The replica died under this request: what it never acknowledged may or may not be stored.
                }
            }
        })).ToList();

        await NotificationFlow.EventuallyAsync(() => accepted.Count >= 30, seconds: 180);
        receivedAtKill = endpoint.Received.Count;
        Interlocked.Exchange(ref killed, 1);
        await doomed.KillAsync();
        var acceptedAtKill = accepted.Count;
        await NotificationFlow.EventuallyAsync(() => accepted.Count >= acceptedAtKill + 30, seconds: 180);
        stop.Cancel();
        await Task.WhenAll(workers);

        // Nothing acknowledged is lost: every 201 and every accepted move reads back from the survivor.
        var reader = clients[(survivor, GatewayFixture.BehavioralHealth)];
        foreach (var taskId in submitted)
        {
            var read = await reader.GetAsync($"/fhir/Task/{taskId}");
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"acknowledged Task/{taskId} answers {(int)read.StatusCode}");
            if (accepted.Contains(taskId))
            {
                Assert.Equal("accepted", (await read.JsonAsync())["status"]!.GetValue<string>());
            }
        }

        // Every notification in the outbox reaches the endpoint, each delivery id with one 200, except
        // what the dead replica was sending when it died (it may have been received, never marked).
        var outbox = Scalar(database, "SELECT COUNT(*) FROM \"Notifications\"");
        Assert.True(outbox >= submitted.Count + accepted.Count, $"{outbox} notifications for {submitted.Count} submissions and {accepted.Count} moves");
        await NotificationFlow.EventuallyAsync(() => Scalar(database, "SELECT COUNT(*) FROM \"Notifications\" WHERE \"Status\" = 'delivered'") == outbox, seconds: 120);
        var received = endpoint.Received.ToList();
        var delivered = received.Where(r => r.Status == 200).GroupBy(r => r.DeliveryId).ToList();
        Assert.Equal(outbox, delivered.Count);
        var twice = delivered.Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var id in twice)
        {
            var first = received.FindIndex(r => r.DeliveryId == id && r.Status == 200);
            Assert.True(first < receivedAtKill + 20, $"{id} was delivered twice but first reached the endpoint well after the kill");
        }
        Assert.True(twice.Count <= 20, $"{twice.Count} notifications delivered twice");

        // The survivor took over signing once the dead replica's lease ran out, and the chain verifies.
        await NotificationFlow.EventuallyAsync(() => Holder(database)?.StartsWith(survivor.LeaseHolderPrefix, StringComparison.Ordinal) == true, seconds: 60);
        using (var operatorClient = await survivor.ClientAsync(root, GatewayFixture.Operator))
        {
            var verified = await operatorClient.GetAsync("/operator/audit/verify");
            Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        }
        await survivor.StopAsync();
        var output = new StringWriter();
        var exit = await ReferralExchange.Cli.CliApp.RunAsync(["audit", "verify", "--provider", "postgresql", "--connection-string", database.RuntimeConnectionString,
            "--signing-key", Path.Combine(root, "certs", "audit-signing.key"), "--witness-dir", Path.Combine(root, "audit-witness")], output);
        Assert.True(exit == 0, output.ToString());

        foreach (var client in clients.Values) client.Dispose();
        await database.DropAsync();
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
    }

    private static long Scalar(PostgreSqlTestDatabase database, string sql)
    {
        using var connection = database.OpenAs(PostgreSqlCluster.OwnerRole);
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? Holder(PostgreSqlTestDatabase database)
    {
        using var connection = database.OpenAs(PostgreSqlCluster.OwnerRole);
        using var command = new NpgsqlCommand("SELECT \"Holder\" FROM \"ServiceLeases\" WHERE \"Name\" = 'audit-checkpoint-signer'", connection);
        return command.ExecuteScalar() as string;
    }
}
