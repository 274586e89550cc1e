namespace ReferralExchange.Core.Partners;

/// <summary>
/// The registry of partners. Implementations read the current state on every call: a suspended
/// or revoked partner must be refused on its very next request, so nothing here is cached.
/// </summary>
public interface IPartnerDirectory
{
    Task<Partner?> FindAsync(string partnerId, CancellationToken cancellationToken = default);

    /// <summary>The partner a client certificate is registered to, by its SHA-256 thumbprint (hex, upper case).</summary>
    Task<Partner?> FindByCertificateAsync(string sha256Thumbprint, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Partner>> ListAsync(CancellationToken cancellationToken = default);
}
