using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                maxLength: 4000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "Purposes",
                table: "Partners",
                type: "TEXT",
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
                type: "TEXT",
                maxLength: 512,
                nullable: true);
        }
    }
}
