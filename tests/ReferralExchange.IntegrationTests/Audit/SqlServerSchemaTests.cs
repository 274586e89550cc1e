using ReferralExchange.Cli;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The SQL Server path compiles, has its own migrations, and produces its schema script without a server.</summary>
public sealed class SqlServerSchemaTests
{
    [Fact]
    public async Task SchemaScript_MakesTheAuditTablesAppendOnlyLedgers()
    {
        var writer = new StringWriter();

        var exit = await CliApp.RunAsync(["schema", "sqlserver"], writer);
        var script = writer.ToString();

        Assert.Equal(0, exit);
        Assert.Contains("CREATE TABLE [AuditRecords]", script);
        Assert.Contains("CREATE TABLE [AuditCheckpoints]", script);
        Assert.Contains("CREATE TABLE [AuditTreeNodes]", script);
        Assert.Equal(3, CountOf(script, "WITH (LEDGER = ON (APPEND_ONLY = ON))"));
        // Idempotent: every migration is guarded by the history table.
        Assert.Contains("IF NOT EXISTS (\n    SELECT * FROM [__EFMigrationsHistory]", script.ReplaceLineEndings("\n"));
        foreach (var table in new[] { "ResourceVersions", "ResourceHeads", "TaskIndex", "Referrals", "ReferralParticipants", "Partners", "PartnerCertificates" })
        {
            Assert.Contains($"CREATE TABLE [{table}]", script);
        }
        Assert.Contains("CREATE UNIQUE INDEX [IX_AuditRecords_PreviousHash]", script);
    }

    private static int CountOf(string text, string fragment)
    {
        var count = 0;
        for (var i = text.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = text.IndexOf(fragment, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
