namespace ReferralExchange.Core.Audit;

/// <summary>Reads the audit trail for presentation (AuditEvent search, accounting of disclosures).</summary>
public interface IAuditQuery
{
    /// <param name="partnerId">Only events of this partner's own actions; null for all (operator).</param>
    /// <param name="patientId">Only events about this patient; null for any.</param>
    /// <param name="actions">Only these actions; null for any.</param>
    Task<(int Total, IReadOnlyList<(long Sequence, AuditRecord Record)> Page)> ListAsync(
        string? partnerId, string? patientId, IReadOnlyCollection<string>? actions, bool successOnly,
        string? excludePartnerId, int offset, int count, CancellationToken cancellationToken = default);

    Task<(long Sequence, AuditRecord Record)?> FindAsync(long sequence, CancellationToken cancellationToken = default);
}
