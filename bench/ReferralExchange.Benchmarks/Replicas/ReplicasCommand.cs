using System.CommandLine;
using ReferralExchange.Benchmarks.Mtls;
using ReferralExchange.Benchmarks.Outside;
using ReferralExchange.Benchmarks.Seeding;

namespace ReferralExchange.Benchmarks.Replicas;

/// <summary><c>replicas</c>: issue 15's benchmark, submission and inbox on SQLite, PostgreSQL, and two PostgreSQL replicas behind HAProxy.</summary>
public static class ReplicasCommand
{
    public static Command Create()
    {
        var topologies = new Option<string>("--topologies") { Description = "provider/replicas list (2 replicas run behind HAProxy)", DefaultValueFactory = _ => "sqlite/1,postgresql/1,postgresql/2" };
        var referrals = new Option<int>("--referrals") { Description = "Open referrals seeded into the inbox through the API", DefaultValueFactory = _ => 2000 };
        var gatewayDll = new Option<string>("--gateway-dll") { Description = "The gateway build to run", DefaultValueFactory = _ => RepositoryPaths.GatewayDll };
        var autocannon = new Option<string>("--autocannon") { Description = "autocannon.js (npm autocannon@9)", DefaultValueFactory = _ => Autocannon.DefaultScript };
        var connections = new Option<int>("--connections") { Description = "Concurrent keep-alive connections", DefaultValueFactory = _ => 32 };
        var duration = new Option<int>("--duration") { Description = "Measured seconds per run", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up seconds per workload", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Runs per workload (medians and spread)", DefaultValueFactory = _ => 3 };
        var timeout = new Option<int>("--timeout") { Description = "Seconds before autocannon gives up on a request", DefaultValueFactory = _ => 10 };
        var runRoot = new Option<string>("--run-root") { Description = "Where each topology's data goes", DefaultValueFactory = _ => "/tmp/rx-bench-replicas" };
        var output = new Option<string?>("--out") { Description = "Also append the table to this file" };
        var tokenParameters = SeedCommand.TokenParameterOption();
        var command = new Command("replicas", "Submission and inbox on SQLite, PostgreSQL and two PostgreSQL replicas behind HAProxy, each beside the bare mTLS endpoint: one table")
        {
            topologies, referrals, gatewayDll, autocannon, connections, duration, warmup, repeats, timeout, runRoot, output, tokenParameters,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new ReplicasSettings(Topology.ParseList(parse.GetValue(topologies)!), Path.GetFullPath(parse.GetValue(gatewayDll)!), parse.GetValue(autocannon)!,
                parse.GetValue(referrals), parse.GetValue(connections), TimeSpan.FromSeconds(parse.GetValue(duration)), TimeSpan.FromSeconds(parse.GetValue(warmup)),
                parse.GetValue(repeats), TimeSpan.FromSeconds(parse.GetValue(timeout)), TokenRequest.ParseParameters(parse.GetValue(tokenParameters)), parse.GetValue(runRoot)!);
            var results = await ReplicasRun.ExecuteAsync(settings, Console.Out, ct);
            ReplicasTable.Write(results, settings, Console.Out);
            if (parse.GetValue(output) is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                using var writer = new StreamWriter(path, append: true);
                ReplicasTable.Write(results, settings, writer);
            }
            return 0;
        });
        return command;
    }
}
