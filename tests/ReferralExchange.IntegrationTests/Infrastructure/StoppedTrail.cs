namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>
/// A witnessed gateway's trail at rest, for restart tests: traffic, a checkpoint, a graceful stop
/// (whose final checkpoint witnesses every record), and raw SQL on the stopped file with the
/// append-only triggers dropped and put back afterwards, as a careful forger would.
/// </summary>
public static class StoppedTrail
{
    public static async Task<WitnessedGateway> TrafficCheckpointedThenStoppedAsync()
    {
        var gateway = await WitnessedGateway.StartAsync();
        await gateway.GenerateTrafficAsync(2);
        await gateway.CheckpointAsync();
        await gateway.StopAsync();
        Assert.NotEmpty(gateway.Witnessed());
        return gateway;
    }

    public static void Tamper(WitnessedGateway gateway, string sql)
    {
        var tamper = new AuditTampering(gateway.DatabasePath);
        tamper.DropProtections();
        tamper.Execute(sql);
        new ChainForgery(gateway.DatabasePath).RestoreTriggers();
    }
}
