namespace ReferralExchange.Core.Audit;

/// <summary>
/// One audited interaction (IHE Basic Audit Log Patterns): what happened, to which resources and
/// which patient, by whom, why, with what outcome. The chain position and hashes are added by the
/// trail when it is appended.
/// </summary>
public sealed record AuditRecord
{
    /// <summary>One of <see cref="AuditActions"/> (create, read, vread, history, search, update, transaction, disclosure, authz-consent, refused).</summary>
    public required string Action { get; init; }
    public required AuditOutcome Outcome { get; init; }
    public required DateTimeOffset Recorded { get; init; }
    public required string PartnerId { get; init; }
    public string? CertificateThumbprint { get; init; }
    public string? PersonName { get; init; }
    /// <summary>The console account of a signed-in person (ADR 0022); null for partner systems' calls.</summary>
    public string? SignedInUser { get; init; }
    public string? PatientId { get; init; }
    public IReadOnlyList<AuditedResource> Resources { get; init; } = [];
    public string? PurposeOfUse { get; init; }
    public string? SourceAddress { get; init; }
    public required string RequestId { get; init; }
    /// <summary>For searches: the query as received (parameter names and values). For failures: the issue codes.</summary>
    public string? Detail { get; init; }
    /// <summary>For consent decisions: the Consent used.</summary>
    public string? ConsentReference { get; init; }

    public static AuditRecord For(Caller caller, string action, AuditOutcome outcome, DateTimeOffset recorded) => new()
    {
        Action = action,
        Outcome = outcome,
        Recorded = recorded,
        PartnerId = caller.Partner.Id,
        CertificateThumbprint = caller.CertificateThumbprint,
        PersonName = caller.PersonName,
        SignedInUser = caller.SignedInUser,
        PurposeOfUse = caller.PurposeOfUse,
        SourceAddress = caller.SourceAddress,
        RequestId = caller.RequestId,
    };
}

/// <summary>A resource the interaction touched: its versioned reference and its security labels.</summary>
/// <param name="ContentHash">
/// For a version this interaction wrote: the SHA-256 of its stored bytes (<see cref="Storage.ResourceContentHash"/>),
/// so the trail covers what the gateway stored, not only that it stored something (ADR 0012). Null for reads.
/// </param>
public sealed record AuditedResource(string Reference, IReadOnlyList<string> SecurityLabels, string? ContentHash = null);

/// <summary>AuditEvent.outcome codes (FHIR R4 audit-event-outcome).</summary>
public enum AuditOutcome
{
    Success = 0,
    MinorFailure = 4,
    SeriousFailure = 8,
    MajorFailure = 12,
}

public static class AuditActions
{
    public const string Create = "create";
    public const string Read = "read";
    public const string VRead = "vread";
    public const string History = "history-instance";
    public const string Search = "search-type";
    public const string Update = "update";
    public const string Transaction = "transaction";
    public const string Disclosure = "disclosure";
    public const string ConsentDecision = "authz-consent";
    public const string Refused = "refused";
    public const string AuditRead = "audit-read";
    /// <summary>An operator put the audit tables' append-only triggers back (rx audit repair-triggers).</summary>
    public const string RepairTriggers = "repair-triggers";
    /// <summary>An operator covered versions stored before resource coverage (rx audit cover-existing, ADR 0012).</summary>
    public const string CoverExisting = "cover-existing";
}
