using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// <c>rx audit verify --resources</c> (ADR 0012): every stored resource version against the audit
/// records that wrote it. The read path compares a version's bytes with the hash stored beside it;
/// this compares that stored hash with the one in the audit record, so editing a row and its hash
/// column together is caught too, and so are versions deleted, versions no record wrote, and heads
/// moved back to an older version. Holds one hash per written version in memory.
/// </summary>
public sealed class ResourceCoverageVerifier(GatewayDbContext db)
{
    private const int FindingsListed = 50;

    public async Task<ResourceCoverageReport> VerifyAsync(CancellationToken ct)
    {
        var covered = await CoverageAsync(ct);
        var findings = new List<string>();
        long versions = 0;
        var stored = new HashSet<string>(StringComparer.Ordinal);
        var highest = new Dictionary<(string, string), long>();
        await foreach (var (type, id, version, json, hash) in VersionsAsync(ct))
        {
            versions++;
            var reference = $"{type}/{id}/_history/{version}";
            stored.Add(reference);
            highest[(type, id)] = Math.Max(highest.GetValueOrDefault((type, id)), version);
            if (json is null)
                findings.Add($"{reference}: its JSON column is not text (edited outside the gateway)");
            else if (hash is not null && !ResourceContentHash.Matches(json, hash))
                findings.Add($"{reference}: stored bytes differ from the hash recorded when it was written (edited outside the gateway)");
            if (!covered.TryGetValue(reference, out var record))
                findings.Add($"{reference}: no audit record covers this version (added outside the gateway{(hash is null ? ", or written before coverage" : string.Empty)})");
            else if (!string.Equals(record.Hash, hash, StringComparison.Ordinal))
                findings.Add($"{reference}: its stored hash differs from audit record {record.Sequence}'s (the row and its hash were edited)");
        }
        foreach (var (reference, record) in covered.Where(c => !stored.Contains(c.Key)).OrderBy(c => c.Value.Sequence))
        {
            findings.Add($"{reference}: written by audit record {record.Sequence} but no longer stored (deleted outside the gateway)");
        }
        await foreach (var (type, id, current) in HeadsAsync(ct))
        {
            var top = highest.GetValueOrDefault((type, id));
            if (top == 0 || !stored.Contains($"{type}/{id}/_history/{current}"))
                findings.Add($"{type}/{id}: its head names version {current}, which is not stored");
            else if (current != top)
                findings.Add($"{type}/{id}: its head names version {current} but version {top} is stored (rolled back outside the gateway)");
        }
        return new ResourceCoverageReport(versions, covered.Count, findings.Count, findings.Take(FindingsListed).ToList());
    }

    /// <summary>Versioned reference → the hash its writing audit record holds. Unreadable records are the chain check's to report.</summary>
    private async Task<Dictionary<string, (string Hash, long Sequence)>> CoverageAsync(CancellationToken ct)
    {
        var covered = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
        await foreach (var entry in new AuditLogReader(db).ReadAsync(0, ct))
        {
            AuditRecord record;
            try
            {
                if (entry.Unreadable is not null) continue;
                (_, _, record) = AuditCanonicalForm.Read(entry.Payload);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException
                or KeyNotFoundException or ArgumentException or OverflowException)
            {
                continue;
            }
            foreach (var resource in record.Resources)
            {
                if (resource.ContentHash is not null) covered.TryAdd(resource.Reference, (resource.ContentHash, entry.Sequence));
            }
        }
        return covered;
    }

    private async IAsyncEnumerable<(string Type, string Id, long Version, string? Json, string? Hash)> VersionsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in RowsAsync(Persistence.RawSql.AuditSql.ReadResourceVersions, ct))
        {
            yield return (row.GetValue(0)?.ToString() ?? "?", row.GetValue(1)?.ToString() ?? "?", Number(row.GetValue(2)),
                row.GetValue(3) as string, row.GetValue(4) as string);
        }
    }

    private async IAsyncEnumerable<(string Type, string Id, long Current)> HeadsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in RowsAsync(Persistence.RawSql.AuditSql.ReadResourceHeads, ct))
        {
            yield return (row.GetValue(0)?.ToString() ?? "?", row.GetValue(1)?.ToString() ?? "?", Number(row.GetValue(2)));
        }
    }

    private static long Number(object value) => value switch { long l => l, int i => i, _ => -1 };

    /// <summary>Raw rows, types not trusted (a hand edit can store anything in a SQLite column).</summary>
    private async IAsyncEnumerable<DbDataReader> RowsAsync(string sql, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                yield return reader;
            }
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}

/// <param name="Findings">The first findings, each naming the resource version and what happened to it.</param>
public sealed record ResourceCoverageReport(long VersionsChecked, int VersionsCovered, int FindingCount, IReadOnlyList<string> Findings)
{
    public bool IsIntact => FindingCount == 0;
}
