using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Issue 15 §3, ADR 0020: two gateways on one database sign checkpoints one at a time. The replica
/// that signed holds the signer lease; the other's operator is told 409 (its worker skips) until the
/// lease expires, then it takes over; a clean stop hands the lease on at once. The chain and every
/// checkpoint still verify.
/// </summary>
public abstract class CheckpointSignerLeaseSpec
{
    // Long enough that the steps before the refusal finish inside it on a loaded 2-core machine (a 15 s
    // lease once ran out before the second gateway asked, and it rightly signed), short enough to wait out.
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);

    protected virtual TestDatabase NewDatabase() => TestDatabase.Sqlite();

    private static readonly Dictionary<string, string?> Settings = new() { ["Gateway:Audit:CheckpointSignerLease"] = Lease.ToString() };

    [Fact]
    public async Task TwoGateways_SignOneAtATime_TakeOverAfterExpiry_AndOnCleanStop()
    {
        await using var first = await NotificationGateway.StartAsync(Settings, database: NewDatabase());
        var second = await NotificationGateway.StartAsync(Settings, root: first.RootDirectory, database: first.Database);
        second.DeleteOnDispose = false;

        await first.GenerateTrafficAsync(1);
        Assert.Equal(HttpStatusCode.Created, await CheckpointStatusAsync(first));
        await second.GenerateTrafficAsync(1);
        var refused = await CheckpointAsync(second);
        Assert.True(refused.StatusCode == HttpStatusCode.Conflict, $"{(int)refused.StatusCode}; leases: {Leases(first)}");
        Assert.Equal("OperationOutcome", (await refused.JsonAsync())["resourceType"]!.GetValue<string>());
        // The holder renews its own lease whenever it signs.
        Assert.Equal(HttpStatusCode.Created, await CheckpointStatusAsync(first));

        // The holder falls silent (as if it died): once its lease runs out the other signs.
        await Task.Delay(Lease + TimeSpan.FromSeconds(1));
        await second.GenerateTrafficAsync(1);
        Assert.Equal(HttpStatusCode.Created, await CheckpointStatusAsync(second));
        await first.GenerateTrafficAsync(1);
        Assert.Equal(HttpStatusCode.Conflict, await CheckpointStatusAsync(first));

        // A clean stop gives the lease up (the final checkpoint is signed first): no wait for expiry.
        await second.DisposeAsync();
        await first.GenerateTrafficAsync(1);
        Assert.Equal(HttpStatusCode.Created, await CheckpointStatusAsync(first));

        var (status, report) = await first.VerifyAsync();
        Assert.True(status == HttpStatusCode.OK, report.ToJsonString());
    }

    private static string Leases(GatewayFixture gateway)
    {
        using var connection = gateway.OpenDatabase(readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Name\", \"Holder\", \"ExpiresTicks\" FROM \"ServiceLeases\"";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{reader.GetString(0)}={reader.GetString(1)} until {reader.GetInt64(2)} (now {DateTimeOffset.UtcNow.UtcTicks})");
        return string.Join("; ", rows);
    }

    private static async Task<HttpResponseMessage> CheckpointAsync(GatewayFixture gateway)
    {
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);
        return await operatorClient.PostAsync("/operator/audit/checkpoints", null);
    }

    private static async Task<HttpStatusCode> CheckpointStatusAsync(GatewayFixture gateway) => (await CheckpointAsync(gateway)).StatusCode;
}

/// <summary>Both gateways on one SQLite file.</summary>
public sealed class CheckpointSignerLeaseTests : CheckpointSignerLeaseSpec;

/// <summary>Both gateways on one PostgreSQL database.</summary>
public sealed class CheckpointSignerLeaseTestsOnPostgreSql : CheckpointSignerLeaseSpec
{
    protected override TestDatabase NewDatabase() => TestDatabase.PostgreSql();
}
