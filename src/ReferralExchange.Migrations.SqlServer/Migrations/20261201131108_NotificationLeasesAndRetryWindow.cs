using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class NotificationLeasesAndRetryWindow : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "LeaseExpiresTicks",
                table: "Notifications",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "Notifications",
                type: "nvarchar(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "WindowStartTicks",
                table: "Notifications",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            // Rows written before ADR 0014 get their retry window from their creation, not from 1 January 0001.
            // EXEC: in an idempotent script the batch is compiled before the column exists.
            migrationBuilder.Sql("EXEC(N'UPDATE [Notifications] SET [WindowStartTicks] = [CreatedTicks];');");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_SubscriptionId_Status_CreatedTicks",
                table: "Notifications",
                columns: new[] { "SubscriptionId", "Status", "CreatedTicks" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Notifications_SubscriptionId_Status_CreatedTicks",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "LeaseExpiresTicks",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "Notifications");

            migrationBuilder.DropColumn(
                name: "WindowStartTicks",
                table: "Notifications");
        }
    }
}
