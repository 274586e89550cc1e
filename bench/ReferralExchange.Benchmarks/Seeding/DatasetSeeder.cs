using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// Builds a data set of <c>referrals</c> referrals, <c>open</c> of them requested in bh-riverside's
/// inbox: one template of each kind through the real API, then the bulk import of clones, then one
/// start and stop of the gateway to leave it as a running gateway would (<see cref="GatewaySettle"/>).
/// </summary>
public static class DatasetSeeder
{
    public static async Task<SeedManifest> SeedAsync(BenchDataset dataset, int referrals, int open, IReadOnlyDictionary<string, string> tokenParameters,
        bool verify, TextWriter log, CancellationToken ct)
    {
        var templateCount = ReferralTemplates.All.Count();
        var openTemplates = ReferralTemplates.Open.Count;
        if (referrals < templateCount || open < openTemplates || open > referrals - (templateCount - openTemplates))
        {
            throw new ArgumentException($"need at least {templateCount} referrals, {openTemplates} <= open <= referrals - {templateCount - openTemplates}");
        }
        if (Directory.Exists(dataset.Directory)) Directory.Delete(dataset.Directory, recursive: true);
        Directory.CreateDirectory(dataset.DataDirectory);

        log.WriteLine($"Seeding {referrals:N0} referrals ({open:N0} open in {ReferralTemplates.Provider}'s inbox) into {dataset.Directory}");
        var watch = Stopwatch.StartNew();
        var written = await TemplateWriter.WriteAsync(dataset, tokenParameters, ct);
        var templateSeconds = watch.Elapsed.TotalSeconds;
        log.WriteLine($"  {written.Count} templates through the real API in {templateSeconds:0.0}s");

        IReadOnlyList<TemplateSnapshot> templates;
        using (var connection = new SqliteConnection($"Data Source={dataset.DatabasePath};Pooling=False"))
        {
            connection.Open();
            var tables = TemplateSnapshot.ReferralTables(connection);
            templates = written.Select(w => TemplateSnapshot.Read(connection, w, tables)).ToList();
        }
        var schedule = Schedule(templates, referrals - templateCount, open - openTemplates);
        watch.Restart();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var lastSequence = await new BulkCloner(dataset.DatabasePath, log).CloneAsync(templates, schedule, ct);
        var cloneSeconds = watch.Elapsed.TotalSeconds;
        var cloneCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        log.WriteLine($"  {schedule.Count:N0} clones in {cloneSeconds:0.0}s ({schedule.Count / Math.Max(cloneSeconds, 0.001):N0}/s, {cloneCpu:0.0}s CPU); audit trail ends at record {lastSequence:N0}");

        if (verify)
        {
            await VerifyAsync(dataset, log, ct);
        }
        await GatewaySettle.RunAsync(dataset, log, ct);

        var byKind = templates.Select((t, i) => (t.Kind.Name, Count: 1 + schedule.Count(s => s == i))).ToDictionary(k => k.Name, k => k.Count);
        var manifest = new SeedManifest(referrals, open, templateCount, byKind, ReadTaskId(dataset), $"Organization/{ReferralTemplates.Provider}",
            lastSequence, templateSeconds, cloneSeconds, new FileInfo(dataset.DatabasePath).Length, DateTimeOffset.UtcNow);
        dataset.WriteManifest(manifest);
        return manifest;
    }

    private static async Task VerifyAsync(BenchDataset dataset, TextWriter log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var verified = await SeedVerification.VerifyAuditTrailAsync(dataset, ct);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        log.WriteLine(verified.IsIntact
            ? $"  audit trail intact: {verified.RecordsChecked:N0} records verified in {watch.Elapsed.TotalSeconds:0.0}s"
            : $"  AUDIT TRAIL BROKEN at record {verified.FirstBrokenSequence}: {verified.Reason}");
        if (!verified.IsIntact) throw new InvalidOperationException("the seeded audit trail does not verify");
    }

    /// <summary>Which template each clone copies, in a fixed pseudo-random order (the same data set every time).</summary>
    private static List<int> Schedule(IReadOnlyList<TemplateSnapshot> templates, int clones, int openClones)
    {
        var random = new Random(11);
        var schedule = new List<int>(clones);
        AddByWeight(schedule, templates, t => t.Kind.OpenInInbox, openClones);
        AddByWeight(schedule, templates, t => !t.Kind.OpenInInbox, clones - openClones);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(schedule));
        return schedule;
    }

    private static void AddByWeight(List<int> schedule, IReadOnlyList<TemplateSnapshot> templates, Func<TemplateSnapshot, bool> include, int count)
    {
        var chosen = templates.Select((t, i) => (t, i)).Where(x => include(x.t)).ToList();
        var total = chosen.Sum(x => x.t.Kind.Weight);
        var added = 0;
        foreach (var (template, index) in chosen)
        {
            var share = index == chosen[^1].i ? count - added : (int)((long)count * template.Kind.Weight / total);
            schedule.AddRange(Enumerable.Repeat(index, share));
            added += share;
        }
    }

    /// <summary>A requested Task in the middle of the inbox: the read-by-id target.</summary>
    private static string ReadTaskId(BenchDataset dataset)
    {
        using var connection = new SqliteConnection($"Data Source={dataset.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT TaskId FROM TaskIndex WHERE OwnerId = $owner AND Status = 'requested' ORDER BY TaskId LIMIT 1 OFFSET " +
            "(SELECT COUNT(*) / 2 FROM TaskIndex WHERE OwnerId = $owner AND Status = 'requested')";
        command.Parameters.AddWithValue("$owner", ReferralTemplates.Provider);
        return (string)command.ExecuteScalar()!;
    }
}
