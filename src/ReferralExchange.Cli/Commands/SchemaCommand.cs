using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using ReferralExchange.Migrations.SqlServer;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// <c>rx schema sqlserver</c>: the idempotent SQL Server schema script (all migrations), for a DBA to
/// review and apply. Needs no server: EF generates it from the migrations assembly.
/// </summary>
public static class SchemaCommand
{
    public static Command Create(TextWriter output)
    {
        var file = new Option<FileInfo?>("--output") { Description = "Write the script to this file instead of standard output" };
        var sqlServer = new Command("sqlserver", "Print the idempotent SQL Server schema script") { file };
        sqlServer.SetAction(async (parse, ct) =>
        {
            var script = GenerateSqlServerScript();
            if (parse.GetValue(file) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, script, ct);
            }
            else
            {
                await output.WriteAsync(script);
            }
            return 0;
        });
        return new Command("schema", "Database schema scripts") { sqlServer };
    }

    public static string GenerateSqlServerScript()
    {
        using var db = DesignTimeFactory.Create("Server=localhost;Database=ReferralExchange;Integrated Security=true;TrustServerCertificate=true");
        return db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
    }
}
