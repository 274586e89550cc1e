using Hl7.Fhir.Model;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Search;

namespace ReferralExchange.Core.Storage;

/// <summary>
/// Versioned resource storage (FHIR R4 §3.1.0.5): every change adds a version; the store assigns
/// version ids and lastUpdated and stamps them into <c>meta</c>.
/// </summary>
public interface IResourceStore
{
    Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken = default);

    Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken = default);

    /// <summary>All versions, newest first.</summary>
    Task<IReadOnlyList<StoredResource>> HistoryAsync(string resourceType, string id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredResource>> ReadManyAsync(string resourceType, IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default);

    Task<ReferralAccess?> GetAccessAsync(string referralKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// The current version and who may see its referral (null outside a referral), as
    /// <see cref="ReadAsync"/> then <see cref="GetAccessAsync"/> would answer: what a read decides on, in one query.
    /// </summary>
    Task<(StoredResource Resource, ReferralAccess? Access)?> ReadWithAccessAsync(string resourceType, string id, CancellationToken cancellationToken = default);

    /// <summary>Whether the partner was among those who might claim the referral while it was open (kept after a claim).</summary>
    Task<bool> WasCandidateAsync(string referralKey, string partnerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a new version of an existing resource if its current version is still
    /// <paramref name="expectedVersion"/>; otherwise throws a PreconditionFailed error.
    /// </summary>
    /// <param name="audit">Appended to the audit trail in the same transaction as the change.</param>
    Task<StoredResource> UpdateAsync(Resource resource, int expectedVersion, DateTimeOffset now, AuditRecord audit, CancellationToken cancellationToken = default);

    /// <summary>Several updates and their audit records in one transaction (all or nothing).</summary>
    Task<IReadOnlyList<StoredResource>> UpdateManyAsync(IReadOnlyList<(Resource Resource, int ExpectedVersion)> changes, DateTimeOffset now,
        IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken = default);

    /// <summary>Stores a new resource (version 1) in a referral, with its audit record, in one transaction.</summary>
    Task<StoredResource> CreateAsync(Resource resource, string referralKey, DateTimeOffset now, AuditRecord audit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes <paramref name="partnerId"/> the recipient of an open referral and writes the claimed Task,
    /// atomically: if another partner claimed it first, nothing is written and false is returned.
    /// </summary>
    Task<StoredResource?> ClaimAsync(string referralKey, string partnerId, Resource task, int expectedVersion, DateTimeOffset now, AuditRecord audit, CancellationToken cancellationToken = default);

    /// <summary>Every version of the Tasks of the referrals a partner sent (for tracking and reports).</summary>
    Task<IReadOnlyList<StoredResource>> TaskHistoriesAsync(string? requesterId, CancellationToken cancellationToken = default);

    /// <summary>The current versions of one referral's resources of a type.</summary>
    Task<IReadOnlyList<StoredResource>> ReadReferralAsync(string referralKey, string resourceType, CancellationToken cancellationToken = default);

    /// <summary>The current versions of several referrals' resources of a type (for <c>_revinclude</c>).</summary>
    Task<IReadOnlyList<StoredResource>> ReadReferralsAsync(IReadOnlyCollection<string> referralKeys, string resourceType, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the Tasks matching the search that the access index lets this partner see for
    /// this purpose now, changed at or before the walk's snapshot, in the query's sort after its
    /// cursor; filtered, counted, sorted and paged in the database.
    /// </summary>
    Task<TaskPage> SearchTasksAsync(TaskSearchQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of the resources of a type in referrals this partner may find (the access index at
    /// referral level, for this purpose, now) and whose type the access policy lets it see, changed
    /// at or before the snapshot, in (lastUpdated, id) order after the cursor.
    /// </summary>
    Task<ResourcePage> SearchReferralResourcesAsync(ResourceSearchQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>One page of a type's versions, newest first, visible to this partner as <see cref="SearchReferralResourcesAsync"/> decides.</summary>
    Task<Reading.VersionPage> TypeHistoryAsync(Reading.TypeHistoryQuery query, string callerPartnerId, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default);

}
