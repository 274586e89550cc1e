using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>
/// Operator actions on the partner registry: onboard, register and rotate certificates, suspend,
/// revoke. Each takes effect on the partner's next request (nothing is cached) and is audited.
/// </summary>
public sealed class PartnerRegistry(GatewayDbContext db, PartnerSeeder seeder, WriteGate gate, TimeProvider time,
    OpenIddict.Abstractions.IOpenIddictApplicationManager? oauthClients = null)
{
    public const string OperatorTool = "(operator-cli)";

    /// <summary>Who acts when not the operator's command line: a signed-in console operator (ADR 0022), audited as themselves.</summary>
    public Caller? Actor { get; set; }

    public async Task<IReadOnlyList<(PartnerRow Partner, IReadOnlyList<PartnerCertificateRow> Certificates)>> ListAsync(CancellationToken ct)
    {
        var partners = await db.Partners.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
        var certificates = (await db.PartnerCertificates.AsNoTracking().ToListAsync(ct)).ToLookup(c => c.PartnerId);
        return partners.Select(p => (p, (IReadOnlyList<PartnerCertificateRow>)certificates[p.Id].OrderBy(c => c.RegisteredTicks).ToList())).ToList();
    }

    public async Task AddAsync(string id, string name, string kind, string? endpoint, CancellationToken ct)
    {
        if (!PartnerKindCodes.TryParse(kind, out _)) throw new ArgumentException($"unknown kind '{kind}'");
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException("id must be lower-case letters, digits and hyphens (at most 64)");
        if (await db.Partners.AnyAsync(p => p.Id == id, ct)) throw new ArgumentException($"partner {id} already exists");
        using (await gate.EnterAsync(ct))
        {
            await seeder.SeedAsync(new PartnerSeedFile([new PartnerSeed(id, name, kind, endpoint is null ? null : [endpoint])]), new Dictionary<string, X509Certificate2>(), ct);
        }
        await AuditAsync(id, $"partner onboarded ({kind})", ct);
    }

    /// <summary>Registers a certificate; with an overlap, the partner's current certificates retire after it (rotation).</summary>
    public async Task RegisterCertificateAsync(string partnerId, X509Certificate2 certificate, TimeSpan? retireOthersAfter, CancellationToken ct)
    {
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == partnerId, ct) ?? throw new ArgumentException($"no partner {partnerId}");
        var thumbprint = CertificateThumbprint.Sha256(certificate);
        var now = time.GetUtcNow();
        using (await gate.EnterAsync(ct))
        {
            if (retireOthersAfter is { } overlap)
            {
                var retires = (now + overlap).UtcTicks;
                await db.PartnerCertificates.Where(c => c.PartnerId == partner.Id && c.Thumbprint != thumbprint && (c.RetiresTicks == null || c.RetiresTicks > retires))
                    .ExecuteUpdateAsync(u => u.SetProperty(c => c.RetiresTicks, retires), ct);
            }
            if (!await db.PartnerCertificates.AnyAsync(c => c.Thumbprint == thumbprint, ct))
            {
                db.PartnerCertificates.Add(new PartnerCertificateRow
                {
                    Thumbprint = thumbprint,
                    PartnerId = partner.Id,
                    Subject = certificate.Subject,
                    NotBeforeTicks = certificate.NotBefore.ToUniversalTime().Ticks,
                    NotAfterTicks = certificate.NotAfter.ToUniversalTime().Ticks,
                    RegisteredTicks = now.UtcTicks,
                });
                await db.SaveChangesAsync(ct);
            }
        }
        if (oauthClients is not null)
        {
            // The partner becomes an OAuth client (tls_client_auth) with its first certificate.
            await OAuthClientRegistration.RegisterAsync(oauthClients, new Dictionary<string, X509Certificate2> { [partnerId] = certificate }, ct);
        }
        await AuditAsync(partnerId, retireOthersAfter is null ? $"certificate {thumbprint[..16]} registered" : $"certificate rotated to {thumbprint[..16]}, others retire after {retireOthersAfter}", ct);
    }

    /// <summary>suspended (reversible) or revoked (final: its certificates retire now).</summary>
    public async Task SetStatusAsync(string partnerId, string status, CancellationToken ct)
    {
        if (status is not ("active" or "suspended" or "revoked")) throw new ArgumentException("status must be active, suspended or revoked");
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == partnerId, ct) ?? throw new ArgumentException($"no partner {partnerId}");
        if (partner.Status == "revoked" && status != "revoked") throw new ArgumentException("a revoked partner cannot be reinstated; onboard it again under a new certificate");
        using (await gate.EnterAsync(ct))
        {
            partner.Status = status;
            await db.SaveChangesAsync(ct);
            if (status == "revoked")
            {
                var now = time.GetUtcNow().UtcTicks;
                await db.PartnerCertificates.Where(c => c.PartnerId == partnerId).ExecuteUpdateAsync(u => u.SetProperty(c => c.RetiresTicks, now), ct);
            }
        }
        await AuditAsync(partnerId, $"partner {status}", ct);
    }

    /// <summary>The purposes of use the partner may assert from its next token on (within its kind's); none: all of its kind's.</summary>
    public async Task<IReadOnlyList<string>> SetPurposesAsync(string partnerId, IReadOnlyList<string> purposes, CancellationToken ct)
    {
        var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == partnerId, ct) ?? throw new ArgumentException($"no partner {partnerId}");
        var codes = purposes.Count == 0 ? [] : PartnerRegistrationRules.Purposes(partner.Kind, purposes);
        using (await gate.EnterAsync(ct))
        {
            partner.Purposes = codes;
            await db.SaveChangesAsync(ct);
        }
        await AuditAsync(partnerId, codes.Count == 0 ? "purposes of use reset to its kind's" : $"purposes of use set to {string.Join(" ", codes)}", ct);
        return codes;
    }

    /// <summary>Registers the origin of a notification endpoint: the partner's Subscriptions may then notify it.</summary>
    public async Task<string> AddNotificationEndpointAsync(string partnerId, string url, bool allowLocal, CancellationToken ct)
    {
        var origin = PartnerRegistrationRules.Origin(url, allowLocal);
        await UpdateOriginsAsync(partnerId, origins => origins.Contains(origin) ? origins : [.. origins, origin], ct);
        await AuditAsync(partnerId, $"notification endpoint {origin} registered", ct);
        return origin;
    }

    /// <summary>Removes a notification origin: deliveries to it stop (suppressed) and new Subscriptions to it are refused.</summary>
    public async Task<string> RemoveNotificationEndpointAsync(string partnerId, string url, CancellationToken ct)
    {
        var origin = Core.Notifications.NotificationOrigin.Of(url) ?? throw new ArgumentException("give the https URL or origin to remove");
        var found = false;
        await UpdateOriginsAsync(partnerId, origins =>
        {
            found = origins.Contains(origin);
            return origins.Where(o => o != origin).ToList();
        }, ct);
        if (!found) throw new ArgumentException($"{origin} is not registered for {partnerId}");
        await AuditAsync(partnerId, $"notification endpoint {origin} removed", ct);
        return origin;
    }

    private async Task UpdateOriginsAsync(string partnerId, Func<List<string>, List<string>> change, CancellationToken ct)
    {
        using (await gate.EnterAsync(ct))
        {
            var partner = await db.Partners.FirstOrDefaultAsync(p => p.Id == partnerId, ct) ?? throw new ArgumentException($"no partner {partnerId}");
            // A new list, so that EF Core sees the primitive collection change.
            partner.NotificationOrigins = change([.. partner.NotificationOrigins]);
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task AuditAsync(string partnerId, string detail, CancellationToken ct)
    {
        using var writing = await gate.EnterAsync(ct);
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var record = Actor is { } actor
            ? AuditRecord.For(actor, AuditActions.Update, AuditOutcome.Success, time.GetUtcNow())
            : new AuditRecord
            {
                Action = AuditActions.Update,
                Outcome = AuditOutcome.Success,
                Recorded = time.GetUtcNow(),
                PartnerId = OperatorTool,
                RequestId = Guid.NewGuid().ToString(),
            };
        await AuditAppender.AppendAsync(db, [record with { Resources = [new AuditedResource($"Organization/{partnerId}", [])], Detail = detail }], ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
    }
}
