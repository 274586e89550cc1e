using System.Diagnostics;
using ReferralExchange.Gateway.Hosting;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// Leaves an imported data set as a running gateway leaves its own: the Merkle tree of the whole
/// trail stored, and its head signed and witnessed (a gateway checkpoints every few thousand
/// records and at every graceful stop, issue 12 §5). The bulk import writes records only, so
/// without this every measured start would first build the tree and read the whole trail after
/// the one witnessed checkpoint the templates left, which no running deployment does (ADR 0026).
/// One start and a graceful stop of the real gateway on the data set does it.
/// </summary>
public static class GatewaySettle
{
    public static async Task RunAsync(BenchDataset dataset, TextWriter log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using (var gateway = await GatewayApp.CreateAsync(["--Gateway:Port=0", .. dataset.GatewayArguments(dataset.DataDirectory),
            // At a million referrals the first start reads millions of records; the final checkpoint then signs at once.
            "--Gateway:Audit:FinalCheckpointTimeout=00:05:00"]))
        {
            await gateway.StartAsync(ct);
            await gateway.StopAsync(ct);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        log.WriteLine($"  settled (tree stored, head signed and witnessed by one gateway start and stop) in {watch.Elapsed.TotalSeconds:0.0}s");
    }
}
