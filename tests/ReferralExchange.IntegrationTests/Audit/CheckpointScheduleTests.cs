using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The gateway signs the chain head on its own, by count of new records and by time.</summary>
public sealed class CheckpointScheduleTests
{
    [Fact]
    public async Task Worker_AfterEnoughNewRecords_SignsACheckpoint()
    {
        await using var gateway = new ScheduledGateway(everyRecords: 5, every: TimeSpan.FromHours(1));
        await gateway.InitializeAsync();
        var tamper = new AuditTampering(gateway);

        await gateway.GenerateTrafficAsync(3);

        Assert.True(await EventuallyAsync(() => tamper.Scalar<long>("SELECT COUNT(*) FROM \"AuditCheckpoints\"") >= 1));
        var (_, report) = await gateway.VerifyAsync();
        Assert.True(report["isIntact"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Worker_WithFewRecordsButTimeElapsed_SignsACheckpoint()
    {
        await using var gateway = new ScheduledGateway(everyRecords: 1_000_000, every: TimeSpan.FromMilliseconds(300));
        await gateway.InitializeAsync();
        var tamper = new AuditTampering(gateway);

        await gateway.GenerateTrafficAsync(1);
        Assert.True(await EventuallyAsync(() => tamper.Scalar<long>("SELECT COUNT(*) FROM \"AuditCheckpoints\"") >= 1));

        // Far fewer new records than the count rule needs: only the time rule can sign this head.
        await gateway.GenerateTrafficAsync(1);

        Assert.True(await EventuallyAsync(() => tamper.Scalar<long>("SELECT COUNT(*) FROM \"AuditCheckpoints\"") >= 2));
    }

    [Fact]
    public async Task Worker_WithNothingNew_SignsNothing()
    {
        await using var gateway = new ScheduledGateway(everyRecords: 1, every: TimeSpan.FromMilliseconds(100));
        await gateway.InitializeAsync();

        var tamper = new AuditTampering(gateway);
        long Signed() => tamper.Scalar<long>("SELECT COUNT(*) FROM \"AuditCheckpoints\"");

        // A fresh gateway's only record is the partner seeding's (ADR 0012): signed at most once, then nothing.
        await Task.Delay(1000);
        var signed = Signed();
        await Task.Delay(1000);

        Assert.True(signed <= 1);
        Assert.Equal(signed, Signed());
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return false;
    }

    private sealed class ScheduledGateway(int everyRecords, TimeSpan every) : GatewayFixture, IAsyncDisposable
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Gateway:Audit:CheckpointEveryRecords", everyRecords.ToString()),
            new("Gateway:Audit:CheckpointEvery", every.ToString()),
            new("Gateway:Audit:CheckpointPollInterval", "00:00:00.100"),
        ];

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
