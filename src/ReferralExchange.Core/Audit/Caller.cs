using ReferralExchange.Core.Partners;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// Who is asking, as the audit trail must record it (IHE BALP agent): the partner organisation,
/// the certificate that proved it, the staff member it names, where from, why, and the request id.
/// </summary>
public sealed record Caller(
    Partner Partner,
    string CertificateThumbprint,
    string RequestId,
    string? SourceAddress = null,
    string? PersonName = null,
    string? PurposeOfUse = null);
