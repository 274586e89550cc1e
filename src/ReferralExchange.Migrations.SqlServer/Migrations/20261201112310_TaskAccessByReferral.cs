using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TaskAccessByReferral : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Rows without their referral cannot be replaced per referral: drop them; the gateway
            // rebuilds an empty access index at start-up (ADR 0009).
            migrationBuilder.Sql("DELETE FROM TaskAccess;");
            migrationBuilder.AddColumn<string>(
                name: "ReferralKey",
                table: "TaskAccess",
                type: "nvarchar(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_TaskAccess_ReferralKey",
                table: "TaskAccess",
                column: "ReferralKey");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TaskAccess_ReferralKey",
                table: "TaskAccess");

            migrationBuilder.DropColumn(
                name: "ReferralKey",
                table: "TaskAccess");
        }
    }
}
