namespace ReferralExchange.Core.Storage;

/// <summary>One version of a resource as the store holds it. Versions are never overwritten.</summary>
/// <param name="ReferralKey">The referral the resource belongs to; null for directory data (Organizations).</param>
/// <param name="SecurityLabels">meta.security codes of this version (recorded in the audit trail).</param>
public sealed record StoredResource(
    string ResourceType,
    string Id,
    int VersionId,
    DateTimeOffset LastUpdated,
    string Json,
    string? ReferralKey,
    IReadOnlyList<string> SecurityLabels)
{
    public string VersionedReference => $"{ResourceType}/{Id}/_history/{VersionId}";

    /// <summary>A weak ETag as FHIR R4 §3.1.0.5 (RESTful API, versioning) prescribes: W/"{versionId}".</summary>
    public string ETag => $"W/\"{VersionId}\"";
}
