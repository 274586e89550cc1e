using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityLabels",
                table: "ResourceVersions",
                type: "TEXT",
                maxLength: 512,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "PatientId",
                table: "Referrals",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "AuditCheckpoints",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SignedAtTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 512, nullable: false),
                    Signature = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditCheckpoints", x => x.Sequence);
                });

            migrationBuilder.CreateTable(
                name: "AuditRecords",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    PartnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditRecords", x => x.Sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_PartnerId_Sequence",
                table: "AuditRecords",
                columns: new[] { "PartnerId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_PatientId_Sequence",
                table: "AuditRecords",
                columns: new[] { "PatientId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_PreviousHash",
                table: "AuditRecords",
                column: "PreviousHash",
                unique: true);

            // Append-only at the database level (issue 5): SQLite refuses UPDATE and DELETE on the
            // audit tables whatever the application does. Verification still catches an attacker
            // who drops these triggers first; they stop mistakes and casual tampering.
            foreach (var table in new[] { "AuditRecords", "AuditCheckpoints" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_no_update\" BEFORE UPDATE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_no_delete\" BEFORE DELETE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "AuditRecords", "AuditCheckpoints" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_no_update\";");
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"{table}_no_delete\";");
            }
            migrationBuilder.DropTable(
                name: "AuditCheckpoints");

            migrationBuilder.DropTable(
                name: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "SecurityLabels",
                table: "ResourceVersions");

            migrationBuilder.DropColumn(
                name: "PatientId",
                table: "Referrals");
        }
    }
}
