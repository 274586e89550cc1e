using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Privacy;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Writes a referral, all its resources, its access index and its audit record as one unit of the group commit (all or nothing), in one save.</summary>
public sealed class EfReferralStore(GatewayDbContext db, GroupCommit commit, TaskAccessIndexer accessIndex) : IReferralStore
{
    public async Task<string?> FindResponseAsync(string requesterId, string identifierSystem, string identifierValue, CancellationToken ct) =>
        await db.Referrals.AsNoTracking()
            .Where(r => r.RequesterId == requesterId && r.IdentifierSystem == identifierSystem && r.IdentifierValue == identifierValue)
            .Select(r => r.ResponseJson)
            .FirstOrDefaultAsync(ct);

    public async Task<SaveOutcome> SaveAsync(ReferralResources referral, string responseJson, DateTimeOffset now, AuditRecord audit, CancellationToken ct)
    {
        try
        {
            await commit.RunAsync((tx, token) => WriteAsync(tx, referral, responseJson, now, audit, token), ct);
            return new SaveOutcome(true, responseJson);
        }
        catch (DbUpdateException)
        {
            // Most likely a concurrent submission of the same referral won the unique key; the
            // group commit rolled this unit back alone.
            var earlier = await FindResponseAsync(referral.RequesterId, referral.IdentifierSystem, referral.IdentifierValue, ct);
            if (earlier is null)
            {
                throw;
            }
            return new SaveOutcome(false, earlier);
        }
    }

    private async System.Threading.Tasks.Task WriteAsync(GatewayDbContext tx, ReferralResources referral, string responseJson, DateTimeOffset now, AuditRecord audit, CancellationToken ct)
    {
        var stamp = ResourceStamp.Truncate(now);
        var ticks = stamp.UtcTicks;
        var patientId = referral.Patient.Id ?? throw new InvalidOperationException("The translator assigns the Patient's id");
        tx.Referrals.Add(new ReferralRow
        {
            ReferralKey = referral.ReferralKey,
            RequesterId = referral.RequesterId,
            IdentifierSystem = referral.IdentifierSystem,
            IdentifierValue = referral.IdentifierValue,
            RecipientId = referral.RecipientId,
            PatientId = patientId,
            CreatedTicks = ticks,
            ResponseJson = responseJson,
        });
        AddParticipant(tx, referral.ReferralKey, referral.RequesterId, ReferralParticipantRow.Requester);
        if (referral.RecipientId is { } recipient)
        {
            AddParticipant(tx, referral.ReferralKey, recipient, ReferralParticipantRow.Recipient);
        }
        var candidates = referral.Candidates.Where(c => c != referral.RequesterId).ToList();
        foreach (var candidate in candidates)
        {
            AddParticipant(tx, referral.ReferralKey, candidate, ReferralParticipantRow.Candidate);
        }

        var written = referral.All().Select(resource => AddVersionOne(tx, resource, referral.ReferralKey, stamp)).ToList();
        var index = TaskIndexer.Create(referral.Task, referral.ReferralKey, ticks);
        tx.TaskIndex.Add(index);
        accessIndex.AddForNewReferral(tx, new ReferralAccess(referral.ReferralKey, referral.RequesterId, referral.RecipientId, candidates, patientId),
            index, [ConsentPolicyReader.Read(referral.Consent), .. referral.OtherConsents.Select(ConsentPolicyReader.Read)]);
        await Notifications.OutboxWriter.EnqueueAsync(tx, referral.Task, referral.ReferralKey, index.Labels, ticks, ct);
        await AuditAppender.AppendAsync(tx, [audit with
        {
            PatientId = referral.Patient.Id,
            // Each version with the hash of its stored bytes (ADR 0012).
            Resources = written.Select(v => new AuditedResource($"{v.ResourceType}/{v.ResourceId}/_history/1",
                v.SecurityLabels.Split(' ', StringSplitOptions.RemoveEmptyEntries), v.ContentHash)).ToList(),
        }], ct);

        await tx.SaveChangesAsync(ct);
    }

    private static void AddParticipant(GatewayDbContext tx, string referralKey, string partnerId, string role) =>
        tx.ReferralParticipants.Add(new ReferralParticipantRow { ReferralKey = referralKey, PartnerId = partnerId, Role = role });

    private static ResourceVersionRow AddVersionOne(GatewayDbContext tx, Resource resource, string? referralKey, DateTimeOffset stamp)
    {
        ResourceStamp.Apply(resource, 1, stamp);
        var id = resource.Id ?? throw new InvalidOperationException("The translator assigns every resource's id");
        var version = VersionIntegrity.Sealed(new ResourceVersionRow
        {
            ResourceType = resource.TypeName,
            ResourceId = id,
            VersionId = 1,
            LastUpdatedTicks = stamp.UtcTicks,
            Json = FhirJson.Serialize(resource),
            ReferralKey = referralKey,
            SecurityLabels = ResourceStamp.Labels(resource),
        });
        tx.ResourceVersions.Add(version);
        tx.ResourceHeads.Add(new ResourceHeadRow
        {
            ResourceType = resource.TypeName,
            ResourceId = id,
            CurrentVersion = 1,
            LastUpdatedTicks = stamp.UtcTicks,
            ReferralKey = referralKey,
        });
        return version;
    }
}
