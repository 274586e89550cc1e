namespace ReferralExchange.Core.Errors;

/// <summary>
/// The one exception type the core throws for anything a client caused. It carries its kind and
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

    /// <summary>For <see cref="ErrorKind.Unavailable"/>: when the client may try again (RFC 9110 §10.2.3 Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static GatewayException Unavailable(string code, string message, TimeSpan? retryAfter) =>
        new(ErrorKind.Unavailable, code, message) { RetryAfter = retryAfter };

    public static GatewayException NotFound(string type, string id) =>
        // Same words whether the resource is missing or belongs to someone else: a partner must
        // not learn that data it may not see exists.
        new(ErrorKind.NotFound, "not-found", $"{type}/{id} is not known", $"{type}");

    public static GatewayException Invalid(string message, string? expression = null) =>
        new(ErrorKind.Unprocessable, "invalid", message, expression);

    public static GatewayException BadRequest(string message, string? expression = null) =>
        new(ErrorKind.BadRequest, "invalid", message, expression);
}
