using System.CommandLine;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary><c>audit-throughput</c>: issue 12 point 7, one table (appends, backfill, proofs, verification) on a real SQLite file.</summary>
public static class AuditThroughputCommand
{
    public static Command Create()
    {
        var records = new Option<int>("--records") { Description = "Records in the trail (tree size of the proofs and verification)", DefaultValueFactory = _ => 1_000_000 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats of every figure (median and spread)", DefaultValueFactory = _ => 3 };
        var backfillRepeats = new Option<int>("--backfill-repeats") { Description = "Repeats of the backfill (each on a fresh copy of the trail; at a million records, minutes each)", DefaultValueFactory = _ => 1 };
        var writers = new Option<string>("--writers") { Description = "Concurrent writers of the append runs, comma-separated", DefaultValueFactory = _ => "1,8,32" };
        var appendSeconds = new Option<int>("--append-seconds") { Description = "Measured seconds per append run", DefaultValueFactory = _ => 5 };
        var appendWarmup = new Option<int>("--append-warmup") { Description = "Warm-up seconds per append run", DefaultValueFactory = _ => 1 };
        var proofs = new Option<int>("--proofs") { Description = "Proofs of each kind per repeat", DefaultValueFactory = _ => 2000 };
        var workRoot = new Option<string>("--work-root") { Description = "Where the run's SQLite files go", DefaultValueFactory = _ => Path.GetTempPath() };
        var keep = new Option<bool>("--keep") { Description = "Keep the run's files" };
        var baseline = new Option<string?>("--baseline-bench") { Description = "Bench DLL built from commit 0ceae39^ (before the tree): its audit-verify runs as the chain-only verification baseline" };
        var output = new Option<string?>("--out") { Description = "Also append the table to this file" };
        var command = new Command("audit-throughput", "Audit trail throughput on a SQLite file: appends (1/8/32 writers, with and without the tree), tree backfill, inclusion and consistency proofs, verification")
        {
            records, repeats, backfillRepeats, writers, appendSeconds, appendWarmup, proofs, workRoot, keep, baseline, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new AuditThroughputSettings(
                parse.GetValue(records),
                Math.Max(1, parse.GetValue(repeats)),
                Math.Max(1, parse.GetValue(backfillRepeats)),
                parse.GetValue(writers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList(),
                TimeSpan.FromSeconds(parse.GetValue(appendWarmup)),
                TimeSpan.FromSeconds(parse.GetValue(appendSeconds)),
                parse.GetValue(proofs),
                parse.GetValue(workRoot)!,
                parse.GetValue(keep),
                parse.GetValue(baseline) is { } dll ? Path.GetFullPath(dll) : null);
            var report = await AuditThroughputRun.ExecuteAsync(settings, ct);
            report.Write(Console.Out);
            if (parse.GetValue(output) is { } path)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                using var writer = new StreamWriter(path, append: true);
                report.Write(writer);
            }
            return 0;
        });
        return command;
    }
}
