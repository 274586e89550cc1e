using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Fhir;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Core.Intake;
using ReferralExchange.Core.Storage;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence.Stores;

/// <summary>Writes a referral and all its resources in one database transaction.</summary>
public sealed class EfReferralStore(GatewayDbContext db, WriteGate gate, TaskAccessIndexer accessIndex) : IReferralStore
{
    public async Task<string?> FindResponseAsync(string requesterId, string identifierSystem, string identifierValue, CancellationToken ct) =>
        await db.Referrals.AsNoTracking()
            .Where(r => r.RequesterId == requesterId && r.IdentifierSystem == identifierSystem && r.IdentifierValue == identifierValue)
            .Select(r => r.ResponseJson)
            .FirstOrDefaultAsync(ct);

    public async Task<SaveOutcome> SaveAsync(ReferralResources referral, string responseJson, DateTimeOffset now, AuditRecord audit, CancellationToken ct)
    {
        var stamp = ResourceStamp.Truncate(now);
        var ticks = stamp.UtcTicks;
        using var writing = await gate.EnterAsync(ct);
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        db.Referrals.Add(new ReferralRow
        {
            ReferralKey = referral.ReferralKey,
            RequesterId = referral.RequesterId,
            IdentifierSystem = referral.IdentifierSystem,
            IdentifierValue = referral.IdentifierValue,
            RecipientId = referral.RecipientId,
            PatientId = referral.Patient.Id ?? throw new InvalidOperationException("The translator assigns the Patient's id"),
            CreatedTicks = ticks,
            ResponseJson = responseJson,
        });
        AddParticipant(referral.ReferralKey, referral.RequesterId, ReferralParticipantRow.Requester);
        if (referral.RecipientId is { } recipient)
        {
            AddParticipant(referral.ReferralKey, recipient, ReferralParticipantRow.Recipient);
        }
        foreach (var candidate in referral.Candidates.Where(c => c != referral.RequesterId))
        {
            AddParticipant(referral.ReferralKey, candidate, ReferralParticipantRow.Candidate);
        }

        foreach (var resource in referral.All())
        {
            AddVersionOne(resource, referral.ReferralKey, stamp);
        }
        var index = TaskIndexer.Create(referral.Task, referral.ReferralKey, ticks);
        db.TaskIndex.Add(index);
        await Notifications.OutboxWriter.EnqueueAsync(db, referral.Task, referral.ReferralKey, index.Labels, ticks, ct);
        await AuditAppender.AppendAsync(db, [audit with
        {
            PatientId = referral.Patient.Id,
            Resources = referral.All().Select(r => new AuditedResource($"{r.TypeName}/{r.Id}/_history/1", ResourceStamp.Labels(r).Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList(),
        }], ct);

        try
        {
            await db.SaveChangesAsync(ct);
            await accessIndex.RefreshAsync(db, [referral.ReferralKey], ct);
            await transaction.CommitAsync(ct);
            return new SaveOutcome(true, responseJson);
        }
        catch (DbUpdateException)
        {
            // Most likely a concurrent submission of the same referral won the unique key.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var earlier = await FindResponseAsync(referral.RequesterId, referral.IdentifierSystem, referral.IdentifierValue, ct);
            if (earlier is null)
            {
                throw;
            }
            return new SaveOutcome(false, earlier);
        }
    }

    private void AddParticipant(string referralKey, string partnerId, string role) =>
        db.ReferralParticipants.Add(new ReferralParticipantRow { ReferralKey = referralKey, PartnerId = partnerId, Role = role });

    private void AddVersionOne(Resource resource, string? referralKey, DateTimeOffset stamp)
    {
        ResourceStamp.Apply(resource, 1, stamp);
        var id = resource.Id ?? throw new InvalidOperationException("The translator assigns every resource's id");
        db.ResourceVersions.Add(new ResourceVersionRow
        {
            ResourceType = resource.TypeName,
            ResourceId = id,
            VersionId = 1,
            LastUpdatedTicks = stamp.UtcTicks,
            Json = FhirJson.Serialize(resource),
            ReferralKey = referralKey,
            SecurityLabels = ResourceStamp.Labels(resource),
        });
        db.ResourceHeads.Add(new ResourceHeadRow
        {
            ResourceType = resource.TypeName,
            ResourceId = id,
            CurrentVersion = 1,
            LastUpdatedTicks = stamp.UtcTicks,
            ReferralKey = referralKey,
        });
    }
}
