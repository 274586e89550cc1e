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
}
