using System.CommandLine;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Stores;
using ReferralExchange.Infrastructure.Privacy;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx access rebuild</c> recomputes the whole access index from the stored referrals, Tasks and
/// Consents with the consent engine (ADR 0009); <c>rx access verify</c> compares what is stored with
/// what the engine decides (exit 0 when they agree, 2 when some Task disagrees, 1 on usage errors).
/// Run either against a stopped gateway's database, or a running one (SQLite waits for its writer).
/// </summary>
public static class AccessIndexCommands
{
    public static Command Create(TextWriter output)
    {
        var database = new CliDatabase();
        var rebuild = new Command("rebuild", "Recompute the access index from scratch") { database };
        rebuild.SetAction(async (parse, ct) => await WithRebuilderAsync(database.Resolve(parse), output, async rebuilder =>
        {
            var watch = Stopwatch.StartNew();
            var referrals = await rebuilder.RebuildAsync(ct);
            await output.WriteLineAsync($"Rebuilt the access index of {referrals} referrals in {watch.Elapsed.TotalSeconds:0.0} s");
            return 0;
        }));
        var verify = new Command("verify", "Check the access index against the consent engine") { database };
        verify.SetAction(async (parse, ct) => await WithRebuilderAsync(database.Resolve(parse), output, async rebuilder =>
        {
            var report = await rebuilder.VerifyAsync(ct);
            if (report.Disagreements == 0)
            {
                await output.WriteLineAsync($"AGREES: {report.Tasks} Tasks of {report.Referrals} referrals");
                return 0;
            }
            await output.WriteLineAsync($"DISAGREES: {report.Disagreements} of {report.Tasks} Tasks (first: {string.Join(", ", report.FirstDisagreeing)}); run rx access rebuild");
            return 2;
        }));
        return new Command("access", "The access index behind search") { rebuild, verify };
    }

    private static async Task<int> WithRebuilderAsync(CliDatabaseChoice database, TextWriter output, Func<TaskAccessRebuilder, Task<int>> action)
    {
        if (database.Problem is { } problem)
        {
            await output.WriteLineAsync(problem);
            return 1;
        }
        await using var db = database.Open();
        var cache = new ConsentPolicyCache();
        return await action(new TaskAccessRebuilder(db, WriteGate.None(), new TaskAccessIndexer(cache, LabelingRules.Default), cache, LabelingRules.Default));
    }
}
