using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>Streams the audit rows in chain order straight from the database cursor (no change tracking, one row in memory).</summary>
public sealed class AuditLogReader(GatewayDbContext db)
{
    public async IAsyncEnumerable<AuditLogEntry> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT "Sequence", "Payload", "PreviousHash", "Hash", "RecordedTicks", "PartnerId", "PatientId", "Action", "Outcome"
                FROM "AuditRecords" WHERE "Sequence" > @after ORDER BY "Sequence"
                """;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@after";
            parameter.Value = afterSequence;
            command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                yield return new AuditLogEntry(
                    reader.GetInt64(0),
                    (byte[])reader.GetValue(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetInt64(4),
                    reader.GetString(5),
                    await reader.IsDBNullAsync(6, ct) ? null : reader.GetString(6),
                    reader.GetString(7),
                    reader.GetInt32(8));
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointsAsync(CancellationToken ct) =>
        (await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(ct))
            .Select(c => new AuditCheckpoint(c.Sequence, c.HeadHash, new DateTimeOffset(c.SignedAtTicks, TimeSpan.Zero), c.KeyId, c.Signature, c.Note))
            .ToList();

    /// <summary>The stored tree of the first <paramref name="size"/> records, to resume root computation mid-log.</summary>
    public Task<ReferralExchange.Core.Audit.Merkle.CompactRange> TreeAsync(long size, CancellationToken ct) => new AuditTreeStore(db).ResumeAsync(size, ct);
}
