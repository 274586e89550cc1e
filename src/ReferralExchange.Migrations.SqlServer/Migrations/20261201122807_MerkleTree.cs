using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.SqlServer.Migrations
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
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RootHash",
                table: "AuditCheckpoints",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);

            // The tree's nodes are an append-only ledger table like the records they hash (ADR 0011);
            // EF cannot express ledger tables, and EXEC keeps the DDL valid in idempotent scripts.
            // Adding nullable columns to the AuditCheckpoints ledger table (above) is allowed.
            // Existing records get their leaf and node hashes at start-up (AuditTreeBackfill).
            migrationBuilder.Sql(@"EXEC(N'CREATE TABLE [AuditTreeNodes] (
    [Level] int NOT NULL,
    [NodeIndex] bigint NOT NULL,
    [Hash] varbinary(32) NOT NULL,
    CONSTRAINT [PK_AuditTreeNodes] PRIMARY KEY ([Level], [NodeIndex])
) WITH (LEDGER = ON (APPEND_ONLY = ON));')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
