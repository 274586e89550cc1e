using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class TaskAccessIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_OwnerId_LastUpdatedTicks",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_RequesterId_LastUpdatedTicks",
                table: "TaskIndex");

            migrationBuilder.CreateTable(
                name: "TaskAccess",
                columns: table => new
                {
                    TaskId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PartnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FromTicks = table.Column<long>(type: "INTEGER", nullable: false),
                    UntilTicks = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaskAccess", x => new { x.TaskId, x.PartnerId, x.Purpose, x.FromTicks });
                });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_OwnerId_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "OwnerId", "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_OwnerId_Status_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "OwnerId", "Status", "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_RequesterId_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "RequesterId", "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_RequesterId_Status_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "RequesterId", "Status", "LastUpdatedTicks", "TaskId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TaskAccess");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_OwnerId_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_OwnerId_Status_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_RequesterId_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_RequesterId_Status_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_OwnerId_LastUpdatedTicks",
                table: "TaskIndex",
                columns: new[] { "OwnerId", "LastUpdatedTicks" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_RequesterId_LastUpdatedTicks",
                table: "TaskIndex",
                columns: new[] { "RequesterId", "LastUpdatedTicks" });
        }
    }
}
