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
    /// Writes a new version of an existing resource if its current version is still
    /// <paramref name="expectedVersion"/>; otherwise throws a PreconditionFailed error.
    /// </summary>
    /// <param name="audit">Appended to the audit trail in the same transaction as the change.</param>
    Task<StoredResource> UpdateAsync(Resource resource, int expectedVersion, DateTimeOffset now, AuditRecord audit, CancellationToken cancellationToken = default);

    /// <summary>Task search over the caller's visible Tasks only, so totals and pages reveal nothing else.</summary>
    Task<TaskSearchResult> SearchTasksAsync(TaskSearchQuery query, string callerPartnerId, CancellationToken cancellationToken = default);
}
