using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Reads partners from the database on every call: suspension takes effect on the next request.</summary>
public sealed class EfPartnerDirectory(GatewayDbContext db, TimeProvider time) : IPartnerDirectory
{
    public async Task<Partner?> FindAsync(string partnerId, CancellationToken ct)
    {
        var row = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == partnerId, ct);
        return row is null ? null : ToPartner(row);
    }

    // Asked on every request (suspension takes effect on the next one): compiled once.
    private static readonly CompiledPerModel<Func<GatewayDbContext, string, long, Task<PartnerRow?>>> PartnerByCertificate = new(() =>
        EF.CompileAsyncQuery((GatewayDbContext db, string thumbprint, long now) => (
            from c in db.PartnerCertificates.AsNoTracking()
            join p in db.Partners.AsNoTracking() on c.PartnerId equals p.Id
            where c.Thumbprint == thumbprint && (c.RetiresTicks == null || c.RetiresTicks > now)
            select p).FirstOrDefault()));

    public async Task<Partner?> FindByCertificateAsync(string sha256Thumbprint, CancellationToken ct) =>
        await PartnerByCertificate.For(db)(db, sha256Thumbprint, time.GetUtcNow().UtcTicks) is { } row ? ToPartner(row) : null;

    public async Task<IReadOnlyList<Partner>> ListAsync(CancellationToken ct) =>
        (await db.Partners.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct)).Select(ToPartner).ToList();

    internal static Partner ToPartner(PartnerRow row) => new(
        row.Id,
        row.Name,
        PartnerKindCodes.TryParse(row.Kind, out var kind) ? kind : throw new InvalidOperationException($"Partner {row.Id} has an unknown kind"),
        row.Status switch
        {
            "active" => PartnerStatus.Active,
            "suspended" => PartnerStatus.Suspended,
            _ => PartnerStatus.Revoked,
        })
    {
        Purposes = row.Purposes,
        NotificationOrigins = row.NotificationOrigins,
    };
}
