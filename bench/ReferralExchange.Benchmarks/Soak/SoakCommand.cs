using System.CommandLine;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Soak;

/// <summary><c>soak</c>: mixed load for N minutes against the gateway process, its memory, handles and threads sampled.</summary>
public static class SoakCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A seeded data set folder (see seed)", DefaultValueFactory = _ => BenchDataset.ForSize(10_000).Directory };
        var gatewayDll = new Option<string>("--gateway-dll") { Description = "The gateway build to run", DefaultValueFactory = _ => RepositoryPaths.GatewayDll };
        var minutes = new Option<double>("--minutes") { Description = "How long the load runs", DefaultValueFactory = _ => 30 };
        var sample = new Option<int>("--sample-seconds") { Description = "Seconds between samples of the gateway process", DefaultValueFactory = _ => 10 };
        var maps = new Option<double>("--maps-minutes") { Description = "Minutes between readings of /proc/<pid>/smaps (RSS by mapping kind, to a second CSV beside --csv); 0: none", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate") { Description = "Target requests per second over all workers", DefaultValueFactory = _ => 20 };
        var workers = new Option<int>("--workers") { Description = "Concurrent workers (two connections each: police unit and provider)", DefaultValueFactory = _ => 4 };
        var runRoot = new Option<string>("--run-root") { Description = "Where the run's copy of the data goes", DefaultValueFactory = _ => "/tmp/rx-bench-run" };
        var keep = new Option<bool>("--keep") { Description = "Keep the run's copy of the data" };
        var csv = new Option<string>("--csv") { Description = "Where the samples go", DefaultValueFactory = _ => $"bench/results/soak-{DateTime.UtcNow:yyyyMMdd-HHmm}.csv" };
        var output = new Option<string?>("--out") { Description = "Also write the summary to this file" };
        var gatewayArguments = new Option<string[]>("--gateway-arg") { Description = "Extra gateway setting (repeatable), e.g. --gateway-arg=--Gateway:RequestTimeout=00:01:00", DefaultValueFactory = _ => [] };
        var gatewayEnvironment = new Option<string[]>("--gateway-env") { Description = "Environment variable NAME=VALUE for the gateway process (repeatable), e.g. MALLOC_ARENA_MAX=2", DefaultValueFactory = _ => [] };
        var tokenParameters = SeedCommand.TokenParameterOption();
        var command = new Command("soak", "Issue 13 point 7: mixed load (token, submission, inbox, read by id, Task moves) for N minutes; RSS, handles, threads and GC heap sampled to a CSV; level-off verdict")
        {
            data, gatewayDll, minutes, sample, maps, rate, workers, runRoot, keep, csv, output, gatewayArguments, gatewayEnvironment, tokenParameters,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new SoakSettings(new BenchDataset(parse.GetValue(data)!), Path.GetFullPath(parse.GetValue(gatewayDll)!),
                TimeSpan.FromMinutes(parse.GetValue(minutes)), TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(sample))),
                TimeSpan.FromMinutes(Math.Max(0, parse.GetValue(maps))),
                parse.GetValue(rate), Math.Max(1, parse.GetValue(workers)), TokenRequest.ParseParameters(parse.GetValue(tokenParameters)),
                parse.GetValue(runRoot)!, parse.GetValue(keep), Path.GetFullPath(parse.GetValue(csv)!), parse.GetValue(gatewayArguments) ?? [],
                Pairs(parse.GetValue(gatewayEnvironment)));
            var report = await SoakRun.ExecuteAsync(settings, Console.Out, ct);
            report.Write(Console.Out);
            if (parse.GetValue(output) is { } path)
            {
                await using var writer = new StreamWriter(path, append: true);
                report.Write(writer);
            }
            return report.LevelsOff ? 0 : 1;
        });
        return command;
    }

    private static IReadOnlyDictionary<string, string> Pairs(IEnumerable<string>? pairs) =>
        (pairs ?? []).Select(p => p.Split('=', 2)).ToDictionary(
            p => p[0],
            p => p.Length == 2 ? p[1] : throw new ArgumentException($"--gateway-env '{p[0]}' needs the form NAME=VALUE"));
}
