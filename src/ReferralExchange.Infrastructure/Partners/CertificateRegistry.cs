using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>
/// "Is this certificate registered to an active partner?", asked once per connection just after
/// the TLS handshake. Reads the database every time: nothing is cached, so a retired certificate
/// or a suspended partner is refused on its next connection.
/// </summary>
public sealed class CertificateRegistry(Func<GatewayDbContext> contextFactory)
{
    public async Task<bool> IsRegisteredToActivePartnerAsync(string sha256Thumbprint, CancellationToken ct)
    {
        await using var db = contextFactory();
        var now = DateTimeOffset.UtcNow.UtcTicks;
        return await (
            from c in db.PartnerCertificates.AsNoTracking()
            join p in db.Partners.AsNoTracking() on c.PartnerId equals p.Id
            where c.Thumbprint == sha256Thumbprint && p.Status == "active" && (c.RetiresTicks == null || c.RetiresTicks > now)
            select c.Thumbprint).AnyAsync(ct);
    }
}
