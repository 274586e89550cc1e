namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>One immutable version of a resource (FHIR R4 §3.1.0.5 versioning). Rows are only ever inserted.</summary>
public sealed class ResourceVersionRow
{
    public required string ResourceType { get; set; }
    public required string ResourceId { get; set; }
    public int VersionId { get; set; }
    /// <summary>UTC ticks: SQLite has no DateTimeOffset type, and ticks order and compare correctly.</summary>
    public long LastUpdatedTicks { get; set; }
    public required string Json { get; set; }
    public string? ReferralKey { get; set; }
    /// <summary>meta.security codes, space-separated, so audit records can name them without parsing the resource.</summary>
    public string SecurityLabels { get; set; } = string.Empty;
    /// <summary>
    /// SHA-256 of <see cref="Json"/>'s UTF-8 bytes, written in the same transaction as the version and
    /// its audit record (which holds it too); checked on every read (ADR 0012). Null only for rows
    /// from before coverage, or added outside the gateway.
    /// </summary>
    public string? ContentHash { get; set; }
}
