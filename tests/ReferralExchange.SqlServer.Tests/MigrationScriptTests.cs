using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using ReferralExchange.Migrations.SqlServer;

namespace ReferralExchange.SqlServer.Tests;

/// <summary>
/// The idempotent SQL Server script (what <c>rx schema sqlserver</c> prints for a DBA), generated from
/// the migrations assembly without a server and parsed batch by batch with TSql160Parser, dynamic
/// SQL included. No SQL Server has run it (README): this is what can be known without one.
/// </summary>
public sealed class MigrationScriptTests
{
    private static readonly Lazy<(string Script, IReadOnlyList<string> Migrations)> Generated = new(() =>
    {
        using var db = DesignTimeFactory.Create("Server=localhost;Database=ReferralExchange;Integrated Security=true;TrustServerCertificate=true");
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        return (script, db.Database.GetMigrations().ToList());
    });

    private static IReadOnlyList<TSql.Parsed> ParsedScript() => TSql.Batches(Generated.Value.Script).SelectMany(TSql.Parse).ToList();

    [Fact]
    public void IdempotentScript_EveryBatchAndItsDynamicSql_ParsesWithoutErrors()
    {
        var (script, migrations) = Generated.Value;
        var batches = TSql.Batches(script);

        var failures = batches
            .Select((batch, index) => (index, errors: TSql.Errors(batch)))
            .Where(b => b.errors.Count > 0)
            .Select(b => $"batch {b.index + 1}: {string.Join("\n", b.errors)}")
            .ToList();

        // EF writes one batch (one transaction) per migration, after the history table's own.
        Assert.True(batches.Count > migrations.Count, $"{batches.Count} batches for {migrations.Count} migrations");
        Assert.True(ParsedScript().Count > batches.Count, "the dynamic SQL inside EXEC(N'...') was not parsed");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void IdempotentScript_CoversEveryMigration_EachGuardedByTheHistoryTable()
    {
        var (script, migrations) = Generated.Value;

        Assert.NotEmpty(migrations);
        foreach (var id in migrations)
        {
            // Idempotent: each migration's statements run only where its history row is absent.
            Assert.Contains($"WHERE [MigrationId] = N'{id}'", script, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("AuditRecords")]
    [InlineData("AuditCheckpoints")]
    [InlineData("AuditTreeNodes")]
    public void IdempotentScript_AuditTable_IsCreatedAsAnAppendOnlyLedgerTable(string table)
    {
        // ADR 0003/0012: on SQL Server the engine itself refuses UPDATE and DELETE of the audit trail.
        var created = TSql.All<CreateTableStatement>(ParsedScript())
            .Where(c => c.SchemaObjectName.BaseIdentifier.Value == table)
            .ToList();

        var create = Assert.Single(created);
        var ledger = Assert.Single(create.Options.OfType<LedgerTableOption>());
        Assert.Equal(OptionState.On, ledger.OptionState);
        Assert.Equal(OptionState.On, ledger.AppendOnly);
    }
}
