using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Intake;

namespace ReferralExchange.Core.Storage;

/// <summary>Writes a whole referral at once and remembers its first answer for idempotent replays.</summary>
public interface IReferralStore
{
    /// <summary>The transaction-response of an earlier submission with this identifier by this sender, if any.</summary>
    Task<string?> FindResponseAsync(string requesterId, string identifierSystem, string identifierValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores every resource of the referral as version 1, its access list and its response, in one
    /// database transaction. If a concurrent submission with the same key won, nothing is written
    /// and the winner's response is returned.
    /// </summary>
    /// <param name="audit">Appended to the audit trail in the same transaction: no referral without its record.</param>
    Task<SaveOutcome> SaveAsync(ReferralResources referral, string responseJson, DateTimeOffset now, AuditRecord audit, CancellationToken cancellationToken = default);
}

/// <param name="Created">False when an earlier submission with the same key already existed.</param>
public sealed record SaveOutcome(bool Created, string ResponseJson);
