using System.CommandLine;
using ReferralExchange.Benchmarks.Mtls;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary><c>seed</c>: builds (or reuses) a cached data set of a given size.</summary>
public static class SeedCommand
{
    public static Option<string[]> TokenParameterOption() => new("--token-param")
    {
        Description = "Extra token request form parameter name=value (repeatable), e.g. purpose_of_use=TREAT",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    /// <summary>The default open share: a tenth of all referrals are waiting in bh-riverside's inbox.</summary>
    public static int DefaultOpen(int referrals) => Math.Max(ReferralTemplates.Open.Count, referrals / 10);

    public static Command Create()
    {
        var referrals = new Option<int>("--referrals") { Description = "Referrals in the data set", DefaultValueFactory = _ => 10_000 };
        var open = new Option<int?>("--open") { Description = "Of which requested in bh-riverside's inbox (default: a tenth)" };
        var data = new Option<string?>("--data") { Description = $"Data set folder (default: {BenchDataset.DefaultCacheRoot}/<referrals>)" };
        var force = new Option<bool>("--force") { Description = "Seed again even if the folder holds a data set" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip verifying the audit trail afterwards (minutes at a million referrals)" };
        var settle = new Option<bool>("--settle") { Description = "On an existing data set: start and stop the gateway once (stores the Merkle tree, signs and witnesses the head), as the seeding now ends" };
        var tokenParameters = TokenParameterOption();
        var command = new Command("seed", "Build a gateway data set: templates through the real API, then a bulk import of clones (audit chain included)")
        {
            referrals, open, data, force, noVerify, settle, tokenParameters,
        };
        command.SetAction(async (parse, ct) =>
        {
            var count = parse.GetValue(referrals);
            var dataset = parse.GetValue(data) is { } folder ? new BenchDataset(folder) : BenchDataset.ForSize(count);
            if (dataset.Exists && parse.GetValue(settle) && !parse.GetValue(force))
            {
                await GatewaySettle.RunAsync(dataset, Console.Out, ct);
                return 0;
            }
            if (dataset.Exists && !parse.GetValue(force))
            {
                Console.WriteLine($"{dataset.Directory} already holds a data set ({dataset.ReadManifest().Referrals:N0} referrals); --force seeds again");
                return 0;
            }
            await DatasetSeeder.SeedAsync(dataset, count, parse.GetValue(open) ?? DefaultOpen(count),
                TokenRequest.ParseParameters(parse.GetValue(tokenParameters)), !parse.GetValue(noVerify), Console.Out, ct);
            return 0;
        });
        return command;
    }
}
