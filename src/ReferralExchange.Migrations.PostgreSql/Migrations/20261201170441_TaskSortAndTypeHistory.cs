using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class TaskSortAndTypeHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // -1: not indexed yet. TaskIndexBackfill fills these from each Task at start-up
            // (as in the SQLite and SQL Server migrations of the same name).
            migrationBuilder.AddColumn<long>(
                name: "AuthoredOnTicks",
                table: "TaskIndex",
                type: "bigint",
                nullable: false,
                defaultValue: -1L);

            migrationBuilder.AddColumn<int>(
                name: "PriorityRank",
                table: "TaskIndex",
                type: "integer",
                nullable: false,
                defaultValue: -1);

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_AuthoredOnTicks_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "AuthoredOnTicks", "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_TaskIndex_PriorityRank_LastUpdatedTicks_TaskId",
                table: "TaskIndex",
                columns: new[] { "PriorityRank", "LastUpdatedTicks", "TaskId" });

            migrationBuilder.CreateIndex(
                name: "IX_ResourceVersions_ResourceType_LastUpdatedTicks_ResourceId",
                table: "ResourceVersions",
                columns: new[] { "ResourceType", "LastUpdatedTicks", "ResourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ResourceHeads_ResourceType_LastUpdatedTicks_ResourceId",
                table: "ResourceHeads",
                columns: new[] { "ResourceType", "LastUpdatedTicks", "ResourceId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_AuthoredOnTicks_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_TaskIndex_PriorityRank_LastUpdatedTicks_TaskId",
                table: "TaskIndex");

            migrationBuilder.DropIndex(
                name: "IX_ResourceVersions_ResourceType_LastUpdatedTicks_ResourceId",
                table: "ResourceVersions");

            migrationBuilder.DropIndex(
                name: "IX_ResourceHeads_ResourceType_LastUpdatedTicks_ResourceId",
                table: "ResourceHeads");

            migrationBuilder.DropColumn(
                name: "AuthoredOnTicks",
                table: "TaskIndex");

            migrationBuilder.DropColumn(
                name: "PriorityRank",
                table: "TaskIndex");
        }
    }
}
