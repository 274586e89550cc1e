using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>
/// Synchronous "is this certificate registered to an active partner?" for the TLS handshake
/// callback, which cannot await. Reads the database every time: nothing is cached.
/// </summary>
public sealed class CertificateRegistry(Func<GatewayDbContext> contextFactory)
{
    public bool IsRegisteredToActivePartner(string sha256Thumbprint)
    {
        using var db = contextFactory();
        var now = DateTimeOffset.UtcNow.UtcTicks;
        return (
            from c in db.PartnerCertificates.AsNoTracking()
            join p in db.Partners.AsNoTracking() on c.PartnerId equals p.Id
            where c.Thumbprint == sha256Thumbprint && p.Status == "active" && (c.RetiresTicks == null || c.RetiresTicks > now)
            select c.Thumbprint).Any();
    }
}
