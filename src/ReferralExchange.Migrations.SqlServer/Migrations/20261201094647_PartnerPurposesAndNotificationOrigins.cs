using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class PartnerPurposesAndNotificationOrigins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotificationEndpoint",
                table: "Partners");

            migrationBuilder.AddColumn<string>(
                name: "NotificationOrigins",
                table: "Partners",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Purposes",
                table: "Partners",
                type: "nvarchar(256)",
                maxLength: 256,
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "NotificationOrigins",
                table: "Partners");

            migrationBuilder.DropColumn(
                name: "Purposes",
                table: "Partners");

            migrationBuilder.AddColumn<string>(
                name: "NotificationEndpoint",
                table: "Partners",
                type: "nvarchar(512)",
                maxLength: 512,
                nullable: true);
        }
    }
}
