using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReferralExchange.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CertificateRetirement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "RetiresTicks",
                table: "PartnerCertificates",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RetiresTicks",
                table: "PartnerCertificates");
        }
    }
}
