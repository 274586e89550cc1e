using System.CommandLine;
using System.Text.Json;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Outside;

/// <summary><c>outside</c>: the outside-generator table for one seeded data set.</summary>
public static class OutsideCommand
{
    public sealed class Options
    {
        public Option<string> GatewayDll { get; } = new("--gateway-dll") { Description = "The gateway build to run", DefaultValueFactory = _ => RepositoryPaths.GatewayDll };
        public Option<string> Autocannon { get; } = new("--autocannon") { Description = "autocannon.js (npm autocannon@9)", DefaultValueFactory = _ => Outside.Autocannon.DefaultScript };
        public Option<int> Connections { get; } = new("--connections") { Description = "Concurrent keep-alive connections", DefaultValueFactory = _ => 32 };
        public Option<int> Duration { get; } = new("--duration") { Description = "Measured seconds per run", DefaultValueFactory = _ => 10 };
        public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up seconds per workload", DefaultValueFactory = _ => 3 };
        public Option<int> Repeats { get; } = new("--repeats") { Description = "Runs per workload (medians and spread)", DefaultValueFactory = _ => 3 };
        public Option<int> Timeout { get; } = new("--timeout") { Description = "Seconds before autocannon gives up on a request", DefaultValueFactory = _ => 10 };
        public Option<int> StartUps { get; } = new("--startups") { Description = "Gateway start-ups to time", DefaultValueFactory = _ => 3 };
        public Option<string> RunRoot { get; } = new("--run-root") { Description = "Where each run's copy of the data goes", DefaultValueFactory = _ => "/tmp/rx-bench-run" };
        public Option<bool> Keep { get; } = new("--keep") { Description = "Keep the run's copy of the data" };
        public Option<string?> Only { get; } = new("--only") { Description = "Run only gateway workloads whose name contains this (the baseline always runs)" };
        public Option<string?> Out { get; } = new("--out") { Description = "Also write the table to this file (and its figures as JSON beside it)" };
        public Option<string[]> TokenParameters { get; } = SeedCommand.TokenParameterOption();

        public IEnumerable<Option> All => [GatewayDll, Autocannon, Connections, Duration, Warmup, Repeats, Timeout, StartUps, RunRoot, Keep, Only, Out, TokenParameters];

        public OutsideSettings Settings(ParseResult parse, BenchDataset dataset) => new(
            dataset,
            Path.GetFullPath(parse.GetValue(GatewayDll)!),
            parse.GetValue(Autocannon)!,
            parse.GetValue(Connections),
            TimeSpan.FromSeconds(parse.GetValue(Duration)),
            TimeSpan.FromSeconds(parse.GetValue(Warmup)),
            parse.GetValue(Repeats),
            TimeSpan.FromSeconds(parse.GetValue(Timeout)),
            Math.Max(1, parse.GetValue(StartUps)),
            TokenRequest.ParseParameters(parse.GetValue(TokenParameters)),
            parse.GetValue(RunRoot)!,
            parse.GetValue(Keep),
            parse.GetValue(Only));
    }

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A seeded data set folder (see seed)", Required = true };
        var options = new Options();
        var command = new Command("outside", "Outside generator (autocannon, client certificates) against the gateway process and the bare endpoint: one table") { data };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            var report = await OutsideRun.ExecuteAsync(options.Settings(parse, new BenchDataset(parse.GetValue(data)!)), Console.Out, ct);
            ResultTable.Write(report, Console.Out);
            Save(report, parse.GetValue(options.Out));
            return 0;
        });
        return command;
    }

    public static void Save(OutsideReport report, string? path)
    {
        if (path is null) return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var writer = new StreamWriter(path, append: true)) ResultTable.Write(report, writer);
        File.AppendAllText(Path.ChangeExtension(path, ".json"), JsonSerializer.Serialize(new
        {
            report.Manifest, report.Workloads, report.StartUpSeconds, report.RecheckSeconds, report.InboxAlone, report.GatewayPeakRssBytes, report.BarePeakRssBytes,
            report.LoadBefore, report.LoadAfter, report.Finished, report.Settings.GatewayDll, Connections = report.Settings.Connections,
        }) + Environment.NewLine);
    }
}
