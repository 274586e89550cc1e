using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Who is asking, as the audit trail must record it (IHE BALP agent): the partner organisation,
/// the certificate that proved it, the staff member it names, where from, why, and the request id.
/// </summary>
/// <param name="PurposeOfUse">The purpose of this request (v3-ActReason), one of <paramref name="TokenPurposes"/>.</param>
/// <param name="TokenPurposes">The purposes the access token was granted (UDAP IG §5.3 hl7-b2b <c>purpose_of_use</c>); null for the gateway's own calls.</param>
/// <param name="SignedInUser">
/// The account of a person who signed in to the console (ADR 0022): authenticated, unlike
/// <paramref name="PersonName"/> from a partner system's header, so the audit trail records them as
/// the requesting user agent (IHE BALP, <c>requestor: true</c>) acting for <paramref name="Partner"/>.
/// </param>
public sealed record Caller(
    Partner Partner,
    string CertificateThumbprint,
    string RequestId,
    string? SourceAddress = null,
    string? PersonName = null,
    string? PurposeOfUse = null,
    IReadOnlyList<string>? TokenPurposes = null,
    string? SignedInUser = null);
