using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditChainLinkTrigger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // ADR 0031: the unique index on a random hash made every audit record dirty a random page
            // of it (about half the pages a read's group commit wrote). The trigger refuses what the
            // index refused (two records naming the same predecessor) and more: a record must name
            // the hash of the record one sequence before it. Created before the index is dropped, so
            // the file is never without a guard. The text is AppendOnlyTriggers.Expected's, which the
            // start-up check compares with sqlite_master.
            migrationBuilder.Sql(
                "CREATE TRIGGER \"AuditRecords_extends_chain\" BEFORE INSERT ON \"AuditRecords\" " +
                "WHEN NEW.\"PreviousHash\" IS NOT (CASE WHEN NEW.\"Sequence\" = 1 THEN '0000000000000000000000000000000000000000000000000000000000000000' " +
                "ELSE (SELECT \"Hash\" FROM \"AuditRecords\" WHERE \"Sequence\" = NEW.\"Sequence\" - 1) END) " +
                "BEGIN SELECT RAISE(ABORT, 'AuditRecords must extend the chain'); END;");
            migrationBuilder.DropIndex(
                name: "IX_AuditRecords_PreviousHash",
                table: "AuditRecords");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_PreviousHash",
                table: "AuditRecords",
                column: "PreviousHash",
                unique: true);
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"AuditRecords_extends_chain\";");
        }
    }
}
