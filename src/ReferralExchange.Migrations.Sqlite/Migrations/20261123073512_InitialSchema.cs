using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PartnerCertificates",
                columns: table => new
                {
                    Thumbprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    NotBeforeTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    NotAfterTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    RegisteredTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PartnerCertificates", x => x.Thumbprint);
                });

            migrationBuilder.CreateTable(
                name: "Partners",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    NotificationEndpoint = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReferralParticipants",
                columns: table => new
                {
                    ReferralKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralParticipants", x => new { x.ReferralKey, x.PartnerId, x.Role });
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    ReferralKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdentifierSystem = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    IdentifierValue = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    RecipientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    ResponseJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.ReferralKey);
                });

            migrationBuilder.CreateTable(
                name: "ResourceHeads",
                columns: table => new
                {
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CurrentVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUpdatedTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    ReferralKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourceHeads", x => new { x.ResourceType, x.ResourceId });
                });

            migrationBuilder.CreateTable(
                name: "ResourceVersions",
                columns: table => new
                {
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    VersionId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastUpdatedTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    ReferralKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResourceVersions", x => new { x.ResourceType, x.ResourceId, x.VersionId });
                });

            migrationBuilder.CreateTable(
                name: "TaskIndex",
                columns: table => new
                {
                    TaskId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReferralKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequesterId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FocusId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastUpdatedTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskIndex", x => x.TaskId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PartnerCertificates_PartnerId",
                table: "PartnerCertificates",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_ReferralParticipants_PartnerId",
                table: "ReferralParticipants",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_RequesterId_IdentifierSystem_IdentifierValue",
                table: "Referrals",
                columns: new[] { "RequesterId", "IdentifierSystem", "IdentifierValue" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ResourceHeads_ReferralKey",
                table: "ResourceHeads",
                column: "ReferralKey");

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_OwnerId_LastUpdatedTicks",
                table: "TaskIndex",
                columns: new[] { "OwnerId", "LastUpdatedTicks" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_ReferralKey",
                table: "TaskIndex",
                column: "ReferralKey");

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_RequesterId_LastUpdatedTicks",
                table: "TaskIndex",
                columns: new[] { "RequesterId", "LastUpdatedTicks" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PartnerCertificates");

            migrationBuilder.DropTable(
                name: "Partners");

            migrationBuilder.DropTable(
                name: "ReferralParticipants");

            migrationBuilder.DropTable(
                name: "Referrals");

            migrationBuilder.DropTable(
                name: "ResourceHeads");

            migrationBuilder.DropTable(
                name: "ResourceVersions");

            migrationBuilder.DropTable(
                name: "TaskIndex");
        }
    }
}
