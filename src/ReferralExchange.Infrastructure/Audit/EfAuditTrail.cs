using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>Appends an audit record in its own transaction (reads and refusals: nothing else changes).</summary>
public sealed class EfAuditTrail(GatewayDbContext db, WriteGate gate) : IAuditTrail
{
    public Task RecordAsync(AuditRecord record, CancellationToken ct) => RecordAsync([record], ct);

    public async Task RecordAsync(IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        // Only the audit records themselves: whatever a failed operation left tracked must not ride along.
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await AuditAppender.AppendAsync(db, records, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
