using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class ResourceContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The SHA-256 of each version's stored bytes (ADR 0012). Nullable: versions stored before
            // this migration have none, and reads refuse them until an operator covers them.
            migrationBuilder.AddColumn<string>(
                name: "ContentHash",
                table: "ResourceVersions",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "ResourceVersions");
        }
    }
}
