namespace ReferralExchange.Core.Errors;

/// <summary>
/// What went wrong, in the domain's words. The host maps each kind to an HTTP status in one
/// place (FHIR R4 §3.1.0.4 "http" status codes); the core never speaks HTTP.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request cannot be read: malformed JSON, wrong resource type, bad parameter.</summary>
    BadRequest,
    /// <summary>The caller is not a registered, active partner.</summary>
    NotAuthenticated,
    /// <summary>The caller is known but may not do this.</summary>
    Forbidden,
    /// <summary>No such resource, or one the caller may not learn exists.</summary>
    NotFound,
    /// <summary>The request conflicts with the resource's current state.</summary>
    Conflict,
    /// <summary>The If-Match version is not the current one.</summary>
    PreconditionFailed,
    /// <summary>The interaction requires a precondition (If-Match) and the request has none (RFC 6585 §3: 428).</summary>
    PreconditionRequired,
    /// <summary>None of the formats the client accepts can be produced (FHIR R4 http.html#mime: 406).</summary>
    NotAcceptable,
    /// <summary>The body is over the configured size limit.</summary>
    PayloadTooLarge,
    /// <summary>The Content-Type is not one we accept.</summary>
    UnsupportedMediaType,
    /// <summary>The content is well-formed but breaks a profile or business rule.</summary>
    Unprocessable,
    /// <summary>
    /// A stored resource version no longer matches the hash recorded when it was written (ADR 0012):
    /// not the client's doing, and not served.
    /// </summary>
    IntegrityFailure,
    /// <summary>
    /// The gateway cannot do this now without breaking a promise (a 2xx means durable): the
    /// database is busy past its wait, its file is no longer the one being written, or its audit
    /// trail failed an integrity check (issue 12 §5). Try again later.
    /// </summary>
    Unavailable,
}
