namespace ReferralExchange.Infrastructure.Persistence.Rows;

/// <summary>A client certificate registered to a partner, by SHA-256 thumbprint (hex, upper case).</summary>
public sealed class PartnerCertificateRow
{
    public required string Thumbprint { get; set; }
    public required string PartnerId { get; set; }
    public required string Subject { get; set; }
    public long NotBeforeTicks { get; set; }
    public long NotAfterTicks { get; set; }
    public long RegisteredTicks { get; set; }
    /// <summary>When the certificate stops being accepted (rotation overlap, compromise); null while current.</summary>
    public long? RetiresTicks { get; set; }
}
