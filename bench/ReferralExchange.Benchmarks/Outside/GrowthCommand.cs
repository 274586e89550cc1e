using System.CommandLine;
using System.Globalization;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary>
/// <c>growth</c>: the outside table at several sizes (seeding any missing data set into the cache),
/// then how the inbox page's p99 and the read by id changed from the smallest size to each larger.
/// Issue 11's targets: inbox p99 growth 10k -> 1M at most 1.5x; read by id unchanged.
/// </summary>
public static class GrowthCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated data set sizes", DefaultValueFactory = _ => "10000,100000,1000000" };
        var cache = new Option<string>("--cache") { Description = "Data set cache folder", DefaultValueFactory = _ => BenchDataset.DefaultCacheRoot };
        var options = new OutsideCommand.Options();
        var command = new Command("growth", "Outside tables at several sizes, then the inbox p99 growth and the read-by-id change") { sizes, cache };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var reports = new List<OutsideReport>();
            foreach (var size in parse.GetValue(sizes)!.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                var dataset = BenchDataset.ForSize(size, parse.GetValue(cache)!);
                var settings = options.Settings(parse, dataset);
                if (!dataset.Exists)
                {
                    await DatasetSeeder.SeedAsync(dataset, size, SeedCommand.DefaultOpen(size), settings.TokenParameters, verify: size <= 100_000, Console.Out, ct);
                }
                var report = await OutsideRun.ExecuteAsync(settings, Console.Out, ct);
                ResultTable.Write(report, Console.Out);
                OutsideCommand.Save(report, parse.GetValue(options.Out));
                reports.Add(report);
            }
            using var summary = new StringWriter();
            WriteGrowth(reports, summary);
            Console.Write(summary);
            if (parse.GetValue(options.Out) is { } path) File.AppendAllText(path, summary.ToString());
            return 0;
        });
        return command;
    }

    public static void WriteGrowth(IReadOnlyList<OutsideReport> reports, TextWriter output)
    {
        var first = reports[0];
        output.WriteLine();
        output.WriteLine($"Growth from {first.Manifest.Referrals:N0} referrals:");
        output.WriteLine($"{"referrals",12} {"open",9} {"inbox p99 ms",13} {"p99 growth",11} {"read req/s",11} {"read change",12} {"read ratio",11} {"start-up s",11}");
        foreach (var r in reports)
        {
            var inbox = r.Find(WorkloadSet.InboxPrefix);
            var read = r.Find(WorkloadSet.ReadById);
            var bare = r.Find(WorkloadSet.Bare);
            var growth = inbox?.P99Ms / first.Find(WorkloadSet.InboxPrefix)?.P99Ms;
            var change = read?.MedianRps / first.Find(WorkloadSet.ReadById)?.MedianRps;
            output.WriteLine($"{r.Manifest.Referrals,12:N0} {r.Manifest.OpenInInbox,9:N0} {inbox?.P99Ms,13:0.0} {growth,10:0.00}x {read?.MedianRps,11:0.0} {change,11:0.00}x " +
                $"{read?.MedianRps / bare?.MedianRps,11:0.000} {WorkloadSummary.Median(r.StartUpSeconds),11:0.00}");
        }
        output.WriteLine("p99 growth = inbox p99 / the first size's (target <= 1.5x at 1M); read change = read-by-id req/s / the first size's (target ~1.0x).");
    }
}
