using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Persistence;

/// <summary>
/// The gateway's database, provider-neutral: SQLite embedded by default, SQL Server in production,
/// each with its own migrations assembly.
/// </summary>
public sealed class GatewayDbContext(DbContextOptions<GatewayDbContext> options) : DbContext(options)
{
    public DbSet<ResourceVersionRow> ResourceVersions => Set<ResourceVersionRow>();
    public DbSet<ResourceHeadRow> ResourceHeads => Set<ResourceHeadRow>();
    public DbSet<TaskIndexRow> TaskIndex => Set<TaskIndexRow>();
    public DbSet<TaskAccessRow> TaskAccess => Set<TaskAccessRow>();
    public DbSet<ReferralRow> Referrals => Set<ReferralRow>();
    public DbSet<ReferralParticipantRow> ReferralParticipants => Set<ReferralParticipantRow>();
    public DbSet<PartnerRow> Partners => Set<PartnerRow>();
    public DbSet<PartnerCertificateRow> PartnerCertificates => Set<PartnerCertificateRow>();
    public DbSet<AuditRecordRow> AuditRecords => Set<AuditRecordRow>();
    public DbSet<AuditCheckpointRow> AuditCheckpoints => Set<AuditCheckpointRow>();
    public DbSet<AuditTreeNodeRow> AuditTreeNodes => Set<AuditTreeNodeRow>();
    public DbSet<SubscriptionRow> Subscriptions => Set<SubscriptionRow>();
    public DbSet<NotificationRow> Notifications => Set<NotificationRow>();
    public DbSet<UsedClientAssertionRow> UsedClientAssertions => Set<UsedClientAssertionRow>();
    public DbSet<ServiceLeaseRow> ServiceLeases => Set<ServiceLeaseRow>();

    /// <summary>The audit chain's tip kept across the units of a group-commit batch; null outside one (see <see cref="Audit.BatchAuditTip"/>).</summary>
    public Audit.BatchAuditTip? BatchAuditTip { get; set; }

    protected override void OnModelCreating(ModelBuilder model)
    {
        // OpenIddict's applications, authorizations, scopes and tokens live in the same database (issue 3).
        model.UseOpenIddict();
        model.Entity<ResourceVersionRow>(e =>
        {
            e.ToTable("ResourceVersions");
            e.HasKey(r => new { r.ResourceType, r.ResourceId, r.VersionId });
            e.Property(r => r.ResourceType).HasMaxLength(64);
            e.Property(r => r.ResourceId).HasMaxLength(64);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.SecurityLabels).HasMaxLength(512);
            e.Property(r => r.ContentHash).HasMaxLength(64);
            // Type-level _history (FHIR R4 §3.1.0.6): newest versions of one type first.
            e.HasIndex(r => new { r.ResourceType, r.LastUpdatedTicks, r.ResourceId });
        });
        model.Entity<ResourceHeadRow>(e =>
        {
            e.ToTable("ResourceHeads");
            e.HasKey(r => new { r.ResourceType, r.ResourceId });
            e.Property(r => r.ResourceType).HasMaxLength(64);
            e.Property(r => r.ResourceId).HasMaxLength(64);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.CurrentVersion).IsConcurrencyToken();
            e.HasIndex(r => r.ReferralKey);
            // Search on ServiceRequest, Patient, Consent and Procedure walks one type in (_lastUpdated, id) order.
            e.HasIndex(r => new { r.ResourceType, r.LastUpdatedTicks, r.ResourceId });
        });
        model.Entity<TaskIndexRow>(e =>
        {
            e.ToTable("TaskIndex");
            e.HasKey(r => r.TaskId);
            e.Property(r => r.TaskId).HasMaxLength(64);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.Status).HasMaxLength(32);
            e.Property(r => r.OwnerId).HasMaxLength(64);
            e.Property(r => r.RequesterId).HasMaxLength(64);
            e.Property(r => r.PatientId).HasMaxLength(64);
            e.Property(r => r.FocusId).HasMaxLength(64);
            e.Property(r => r.Labels).HasMaxLength(256);
            // Keyset orders for the inbox (owner, status), the source's view (requester, status) and
            // anything else (lastUpdated alone); the Task id breaks ties so a page never repeats or skips.
            e.HasIndex(r => new { r.OwnerId, r.Status, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => new { r.OwnerId, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => new { r.RequesterId, r.Status, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => new { r.RequesterId, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => new { r.LastUpdatedTicks, r.TaskId });
            // _sort=authored-on and _sort=priority keep (value, lastUpdated, id) keyset orders.
            e.HasIndex(r => new { r.AuthoredOnTicks, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => new { r.PriorityRank, r.LastUpdatedTicks, r.TaskId });
            e.HasIndex(r => r.ReferralKey);
        });
        model.Entity<TaskAccessRow>(e =>
        {
            e.ToTable("TaskAccess");
            // The key is also the probe a search makes for each Task it walks: (task, partner) first.
            e.HasKey(r => new { r.TaskId, r.PartnerId, r.Purpose, r.FromTicks });
            e.Property(r => r.TaskId).HasMaxLength(64);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.Purpose).HasMaxLength(32);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.HasIndex(r => r.ReferralKey);
        });
        model.Entity<ReferralRow>(e =>
        {
            e.ToTable("Referrals");
            e.HasKey(r => r.ReferralKey);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.RequesterId).HasMaxLength(64);
            e.Property(r => r.IdentifierSystem).HasMaxLength(256);
            e.Property(r => r.IdentifierValue).HasMaxLength(128);
            e.Property(r => r.RecipientId).HasMaxLength(64);
            e.Property(r => r.PatientId).HasMaxLength(64);
            // The idempotency key: one referral per sender and identifier, enforced by the database
            // so that two concurrent submissions cannot both win.
            e.HasIndex(r => new { r.RequesterId, r.IdentifierSystem, r.IdentifierValue }).IsUnique();
        });
        model.Entity<ReferralParticipantRow>(e =>
        {
            e.ToTable("ReferralParticipants");
            e.HasKey(r => new { r.ReferralKey, r.PartnerId, r.Role });
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.Role).HasMaxLength(16);
            e.HasIndex(r => r.PartnerId);
        });
        model.Entity<PartnerRow>(e =>
        {
            e.ToTable("Partners");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(64);
            e.Property(r => r.Name).HasMaxLength(256);
            e.Property(r => r.Kind).HasMaxLength(32);
            e.Property(r => r.Status).HasMaxLength(16);
            // Short lists read with the partner on every request: EF Core primitive collections (a JSON array column).
            e.PrimitiveCollection(r => r.Purposes).HasMaxLength(256);
            e.PrimitiveCollection(r => r.NotificationOrigins).HasMaxLength(4000);
        });
        model.Entity<AuditRecordRow>(e =>
        {
            e.ToTable("AuditRecords");
            e.HasKey(r => r.Sequence);
            e.Property(r => r.Sequence).ValueGeneratedNever();
            e.Property(r => r.Action).HasMaxLength(32);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.PatientId).HasMaxLength(64);
            e.Property(r => r.PreviousHash).HasMaxLength(64);
            e.Property(r => r.Hash).HasMaxLength(64);
            // Two records can never claim the same predecessor: concurrent writers cannot fork the chain.
            // On SQLite a trigger enforces more than this index did, without its random page writes:
            // each record must name the hash of the record before it (ADR 0031, AuditChainLinkTrigger).
            if (!Database.IsSqlite())
            {
                e.HasIndex(r => r.PreviousHash).IsUnique();
            }
            e.HasIndex(r => new { r.PartnerId, r.Sequence });
            e.HasIndex(r => new { r.PatientId, r.Sequence });
        });
        model.Entity<ServiceLeaseRow>(e =>
        {
            e.ToTable("ServiceLeases");
            e.HasKey(r => r.Name);
            e.Property(r => r.Name).HasMaxLength(64);
            e.Property(r => r.Holder).HasMaxLength(200);
        });
        model.Entity<AuditCheckpointRow>(e =>
        {
            e.ToTable("AuditCheckpoints");
            e.HasKey(r => r.Sequence);
            e.Property(r => r.Sequence).ValueGeneratedNever();
            e.Property(r => r.HeadHash).HasMaxLength(64);
            e.Property(r => r.KeyId).HasMaxLength(512);
            e.Property(r => r.RootHash).HasMaxLength(64);
            e.Property(r => r.Note).HasMaxLength(4000);
        });
        model.Entity<AuditTreeNodeRow>(e =>
        {
            e.ToTable("AuditTreeNodes");
            // A proof reads each of its O(log n) nodes by this key.
            e.HasKey(r => new { r.Level, r.NodeIndex });
            e.Property(r => r.Level).ValueGeneratedNever();
            e.Property(r => r.NodeIndex).ValueGeneratedNever();
            e.Property(r => r.Hash).HasMaxLength(32);
        });
        model.Entity<SubscriptionRow>(e =>
        {
            e.ToTable("Subscriptions");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasMaxLength(64);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.OwnerId).HasMaxLength(64);
            e.Property(r => r.RequesterId).HasMaxLength(64);
            e.Property(r => r.Statuses).HasMaxLength(256);
            e.Property(r => r.Endpoint).HasMaxLength(512);
            e.Property(r => r.Status).HasMaxLength(16);
            e.HasIndex(r => r.OwnerId);
            e.HasIndex(r => r.RequesterId);
        });
        model.Entity<NotificationRow>(e =>
        {
            e.ToTable("Notifications");
            e.HasKey(r => r.DeliveryId);
            e.Property(r => r.DeliveryId).HasMaxLength(64);
            e.Property(r => r.SubscriptionId).HasMaxLength(64);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.TaskId).HasMaxLength(64);
            e.Property(r => r.ReferralKey).HasMaxLength(64);
            e.Property(r => r.TaskLabels).HasMaxLength(256);
            e.Property(r => r.Status).HasMaxLength(16);
            e.Property(r => r.LastError).HasMaxLength(256);
            e.Property(r => r.LeaseOwner).HasMaxLength(128);
            e.HasIndex(r => new { r.Status, r.NextAttemptTicks });
            // A subscription's pending rows in order: its head, and the runs behind it (ADR 0014).
            e.HasIndex(r => new { r.SubscriptionId, r.Status, r.CreatedTicks });
        });
        model.Entity<UsedClientAssertionRow>(e =>
        {
            e.ToTable("UsedClientAssertions");
            e.HasKey(r => r.Key);
            e.Property(r => r.Key).HasMaxLength(256);
            e.HasIndex(r => r.ExpiresTicks);
        });
        model.Entity<PartnerCertificateRow>(e =>
        {
            e.ToTable("PartnerCertificates");
            e.HasKey(r => r.Thumbprint);
            e.Property(r => r.Thumbprint).HasMaxLength(64);
            e.Property(r => r.PartnerId).HasMaxLength(64);
            e.Property(r => r.Subject).HasMaxLength(512);
            e.HasIndex(r => r.PartnerId);
        });
    }
}
