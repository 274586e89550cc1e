using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Benchmarks.Seeding;

/// <summary>
/// The documented import: copies template referrals (written through the real API) into many
/// referrals with new ids and dates, in large SQLite transactions. Rows are the templates' rows
/// with every GUID, instant and request id renewed; audit records are re-chained after the current
/// head with the gateway's own <see cref="AuditCanonicalForm"/> and <see cref="AuditChain"/>, so the
/// trail verifies. Nothing is updated or deleted (the audit tables refuse it anyway). One thread
/// renders clones while another inserts them.
/// </summary>
public sealed class BulkCloner(string databasePath, TextWriter log)
{
    private const int ClonesPerBatch = 1_000;
    private const int BatchesPerTransaction = 10;
    private static readonly TimeSpan Span = TimeSpan.FromDays(730);

    private sealed record Row(string Table, object?[] Values);

    /// <param name="schedule">For each clone, oldest first, the template it copies.</param>
    /// <returns>The audit trail's last sequence number.</returns>
    public async Task<long> CloneAsync(IReadOnlyList<TemplateSnapshot> templates, IReadOnlyList<int> schedule, CancellationToken ct)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        var head = Head(connection);
        using var inserter = new RawInserter(connection, templates.SelectMany(t => t.Tables.Append(t.Audit)).DistinctBy(t => t.Table));
        inserter.Execute("PRAGMA synchronous=OFF; PRAGMA cache_size=-524288; PRAGMA temp_store=MEMORY;");

        var batches = Channel.CreateBounded<List<Row>>(4);
        var producer = Task.Run(() => Render(templates, schedule, head, batches.Writer, ct), ct);
        var watch = Stopwatch.StartNew();
        var done = 0;
        inserter.Execute("BEGIN");
        await foreach (var batch in batches.Reader.ReadAllAsync(ct))
        {
            foreach (var row in batch) inserter.Insert(row.Table, row.Values);
            if (++done % BatchesPerTransaction == 0)
            {
                inserter.Execute("COMMIT; BEGIN");
                log.WriteLine($"  {done * ClonesPerBatch:N0} clones, {done * ClonesPerBatch / watch.Elapsed.TotalSeconds:N0}/s, CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0}s");
            }
        }
        inserter.Execute("COMMIT");
        inserter.Execute("PRAGMA wal_checkpoint(TRUNCATE);");
        return await producer;
    }

    private static async Task<long> Render(IReadOnlyList<TemplateSnapshot> templates, IReadOnlyList<int> schedule, (long, string) head,
        ChannelWriter<List<Row>> output, CancellationToken ct)
    {
        var (sequence, previous) = head;
        try
        {
            // Clones sit before the templates in time, evenly over about two years, oldest first.
            var anchor = templates.Min(t => t.CreatedTicks) - TimeSpan.TicksPerHour;
            var spacing = Math.Max(TimeSpan.TicksPerSecond, Span.Ticks / Math.Max(1, schedule.Count));
            var batch = new List<Row>();
            for (var n = 0; n < schedule.Count; n++)
            {
                var template = templates[schedule[n]];
                var when = anchor - (schedule.Count - n) * spacing;
                var clone = new CloneIdentity(n, TimeSpan.FromTicks(when - template.CreatedTicks));
                var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var table in template.Tables)
                {
                    foreach (var row in table.Rows)
                    {
                        var values = Values(table, row, clone);
                        if (table.Table == ResourceVersionsTable) Seal(table, values, hashes);
                        batch.Add(new Row(table.Table, values));
                    }
                }
                foreach (var row in template.Audit.Rows)
                {
                    (sequence, previous) = Rechain(template.Audit, row, clone, hashes, sequence, previous, out var values);
                    batch.Add(new Row(TemplateSnapshot.AuditTable, values));
                }
                if ((n + 1) % ClonesPerBatch == 0 || n == schedule.Count - 1)
                {
                    await output.WriteAsync(batch, ct);
                    batch = new List<Row>(batch.Count);
                }
            }
            return sequence;
        }
        finally
        {
            output.Complete();
        }
    }

    private static object?[] Values(TableRows table, object?[] row, CloneIdentity clone)
    {
        var values = new object?[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            values[i] = row[i] switch
            {
                TextTemplate text => text.RenderUtf8(clone),
                long ticks when table.Columns[i].EndsWith("Ticks", StringComparison.Ordinal) => clone.ShiftTicks(ticks),
                var other => other,
            };
        }
        return values;
    }

    private const string ResourceVersionsTable = "ResourceVersions";

    /// <summary>
    /// A cloned version gets the hash of its own bytes, as the gateway writes it (ADR 0012): reads
    /// check it, and the clone's audit record of the write carries it (<paramref name="hashes"/>).
    /// </summary>
    private static void Seal(TableRows table, object?[] values, Dictionary<string, string> hashes)
    {
        var hashIndex = table.Index("ContentHash");
        if (hashIndex < 0 || values[table.Index("Json")] is not Utf8Text json) return;
        var hash = ResourceContentHash.Of(json.Bytes);
        values[hashIndex] = hash;
        hashes[$"{Text(values[table.Index("ResourceType")])}/{Text(values[table.Index("ResourceId")])}/_history/{values[table.Index("VersionId")]}"] = hash;
    }

    private static string Text(object? value) => value is Utf8Text utf8 ? System.Text.Encoding.UTF8.GetString(utf8.Bytes) : value?.ToString() ?? string.Empty;

    /// <summary>The clone's audit record: the template's interaction with renewed ids and dates, at the next chain position.</summary>
    private static (long, string) Rechain(TableRows audit, object?[] row, CloneIdentity clone, IReadOnlyDictionary<string, string> hashes, long sequence, string previous, out object?[] values)
    {
        var payloadIndex = audit.Index("Payload");
        var record = ((AuditRecordTemplate)row[payloadIndex]!).Render(clone, hashes);
        values = Values(audit, row, clone);
        var next = sequence + 1;
        var payload = AuditCanonicalForm.Write(next, previous, record);
        var hash = AuditChain.Hash(payload);
        values[payloadIndex] = payload;
        values[audit.Index("Sequence")] = next;
        values[audit.Index("PreviousHash")] = previous;
        values[audit.Index("Hash")] = hash;
        return (next, hash);
    }

    private static (long Sequence, string Hash) Head(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT Sequence, Hash FROM {TemplateSnapshot.AuditTable} ORDER BY Sequence DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }
}
