namespace ReferralExchange.Core.Errors;

/// <summary>
/// The one exception type the core throws for anything a client caused (and for stored data that
/// fails its integrity check, which must reach the same one place as an OperationOutcome). It carries its kind and
/// its OperationOutcome issues; the host turns it into a response in one middleware.
/// Messages must never contain PHI: they name elements and rules, not values.
/// </summary>
public sealed class GatewayException : Exception
{
    public GatewayException(ErrorKind kind, IReadOnlyList<Issue> issues)
        : base(issues.Count > 0 ? issues[0].Message : kind.ToString())
    {
        Kind = kind;
        // Bounded here, so no thrower can make an answer of unbounded size (IssueLimit).
        Issues = IssueLimit.Cap(issues);
    }

    public GatewayException(ErrorKind kind, string code, string message, string? expression = null)
        : this(kind, [new Issue(code, message, expression)])
    {
    }

    public ErrorKind Kind { get; }

    public IReadOnlyList<Issue> Issues { get; }

    /// <summary>For an integrity failure: the stored version concerned, for the audit record only (never the response or the log).</summary>
    public string? AuditedTarget { get; private init; }

    /// <summary>
    /// A stored version whose bytes differ from the hash the gateway recorded when it wrote them:
    /// someone changed the database outside the gateway (ADR 0012). The client learns only that an
    /// integrity check failed; which version is in the audit record of the failure.
    /// </summary>
    public static GatewayException IntegrityFailure(string versionedReference) =>
        new(ErrorKind.IntegrityFailure, "exception",
            "A stored resource failed its integrity check against the audit trail and is not served; the operator has been told")
        {
            AuditedTarget = versionedReference,
        };

    /// <summary>For <see cref="ErrorKind.Unavailable"/>: when the client may try again (RFC 9110 §10.2.3 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The database is what is missing (busy, replaced, or the request ran out of time waiting), so
    /// the record of this refusal waits for it (IDeferredAuditTrail) instead of failing the answer.
    /// </summary>
    public bool AuditWaitsForDatabase { get; private init; }

    public static GatewayException Unavailable(string code, string message, TimeSpan? retryAfter) =>
        new(ErrorKind.Unavailable, code, message) { RetryAfter = retryAfter, AuditWaitsForDatabase = true };

    public static GatewayException NotFound(string type, string id) =>
        // Same words whether the resource is missing or belongs to someone else: a partner must
        // not learn that data it may not see exists.
        new(ErrorKind.NotFound, "not-found", $"{type}/{id} is not known", $"{type}");

    public static GatewayException Invalid(string message, string? expression = null) =>
        new(ErrorKind.Unprocessable, "invalid", message, expression);

    public static GatewayException BadRequest(string message, string? expression = null) =>
        new(ErrorKind.BadRequest, "invalid", message, expression);
}
