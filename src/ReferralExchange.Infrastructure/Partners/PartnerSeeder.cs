using System.Security.Cryptography.X509Certificates;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Core.Partners;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.Rows;
using ReferralExchange.Infrastructure.Persistence.Stores;

namespace ReferralExchange.Infrastructure.Partners;

/// <summary>
/// Registers the seed partners, their FHIR Organizations and their certificates. Existing partners
/// keep their status: an operator's suspension is never undone by a restart.
/// </summary>
public sealed class PartnerSeeder(GatewayDbContext db, TimeProvider time)
{
    public async System.Threading.Tasks.Task SeedAsync(PartnerSeedFile seed, IReadOnlyDictionary<string, X509Certificate2> certificates, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // One transaction: the audit record's chain position is taken under the database's chain
        // lock on a server database (ADR 0017), and the seed lands whole or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var organizations = new List<ResourceVersionRow>();
        foreach (var partner in seed.Partners)
        {
            if (!PartnerKindCodes.TryParse(partner.Kind, out _))
            {
                throw new InvalidOperationException($"Partner {partner.Id}: unknown kind '{partner.Kind}'");
            }
            if (await db.Partners.FindAsync([partner.Id], ct) is null)
            {
                db.Partners.Add(new PartnerRow
                {
                    Id = partner.Id,
                    Name = partner.Name,
                    Kind = partner.Kind,
                    Status = "active",
                    Purposes = partner.Purposes is { Count: > 0 } purposes ? PartnerRegistrationRules.Purposes(partner.Kind, purposes) : [],
                    NotificationOrigins = (partner.NotificationEndpoints ?? []).Select(e => PartnerRegistrationRules.Origin(e, allowLocal: false)).Distinct().ToList(),
                });
                organizations.Add(AddOrganization(partner, now));
            }
            if (certificates.TryGetValue(partner.Id, out var certificate))
            {
                await RegisterCertificateAsync(partner.Id, certificate, now, ct);
            }
        }
        if (organizations.Count > 0)
        {
            // Directory data is stored resource versions too: an audit record covers them with their
            // hashes (ADR 0012), in the same SaveChanges transaction. Seeding runs before the gateway
            // takes requests, so nothing else appends to the chain meanwhile.
            await AuditAppender.AppendAsync(db, [new AuditRecord
            {
                Action = AuditActions.Create,
                Outcome = AuditOutcome.Success,
                Recorded = now,
                PartnerId = SeedActor,
                RequestId = $"seed-{now.UtcTicks}",
                Detail = "partner seed file",
                Resources = organizations.Select(o => new AuditedResource($"Organization/{o.ResourceId}/_history/1", [], o.ContentHash)).ToList(),
            }], ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>Who the audit record of seeding names: the gateway itself, not a partner.</summary>
    public const string SeedActor = "(gateway-seed)";

    private async System.Threading.Tasks.Task RegisterCertificateAsync(string partnerId, X509Certificate2 certificate, DateTimeOffset now, CancellationToken ct)
    {
        var thumbprint = CertificateThumbprint.Sha256(certificate);
        if (await db.PartnerCertificates.FindAsync([thumbprint], ct) is not null)
        {
            return;
        }
        db.PartnerCertificates.Add(new PartnerCertificateRow
        {
            Thumbprint = thumbprint,
            PartnerId = partnerId,
            Subject = certificate.Subject,
            NotBeforeTicks = certificate.NotBefore.ToUniversalTime().Ticks,
            NotAfterTicks = certificate.NotAfter.ToUniversalTime().Ticks,
            RegisteredTicks = now.UtcTicks,
        });
    }

    private ResourceVersionRow AddOrganization(PartnerSeed partner, DateTimeOffset now)
    {
        var organization = new Organization { Id = partner.Id, Name = partner.Name, Active = true };
        organization.Type.Add(new CodeableConcept(FhirUris.PartnerKind, partner.Kind));
        organization.Identifier.Add(new Identifier($"{FhirUris.Base}/sid/partner", partner.Id));
        var stamp = ResourceStamp.Truncate(now);
        ResourceStamp.Apply(organization, 1, stamp);
        var version = VersionIntegrity.Sealed(new ResourceVersionRow
        {
            ResourceType = "Organization",
            ResourceId = partner.Id,
            VersionId = 1,
            LastUpdatedTicks = stamp.UtcTicks,
            Json = FhirJson.Serialize(organization),
        });
        db.ResourceVersions.Add(version);
        db.ResourceHeads.Add(new ResourceHeadRow
        {
            ResourceType = "Organization",
            ResourceId = partner.Id,
            CurrentVersion = 1,
            LastUpdatedTicks = stamp.UtcTicks,
        });
        return version;
    }
}
