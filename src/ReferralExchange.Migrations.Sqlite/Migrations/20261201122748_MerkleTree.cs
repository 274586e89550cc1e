using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class MerkleTree : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "AuditCheckpoints",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RootHash",
                table: "AuditCheckpoints",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditTreeNodes",
                columns: table => new
                {
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    NodeIndex = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditTreeNodes", x => new { x.Level, x.NodeIndex });
                });

            // The tree's nodes are append-only like the records they hash (ADR 0011). Leaf and
            // node hashes of existing records are filled in at start-up (AuditTreeBackfill), not
            // here: a million records stream in seconds from C#, and SQL has no SHA-256.
            migrationBuilder.Sql("CREATE TRIGGER \"AuditTreeNodes_no_update\" BEFORE UPDATE ON \"AuditTreeNodes\" BEGIN SELECT RAISE(ABORT, 'AuditTreeNodes is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditTreeNodes_no_delete\" BEFORE DELETE ON \"AuditTreeNodes\" BEGIN SELECT RAISE(ABORT, 'AuditTreeNodes is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditTreeNodes_no_update\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditTreeNodes_no_delete\";");
            migrationBuilder.DropTable(
                name: "AuditTreeNodes");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "AuditCheckpoints");

            migrationBuilder.DropColumn(
                name: "RootHash",
                table: "AuditCheckpoints");
        }
    }
}
