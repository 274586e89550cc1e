namespace ReferralExchange.SqlServer.Tests;

/// <summary>The parser the other tests rely on refuses what SQL Server would refuse: they can fail.</summary>
public sealed class ParserTests
{
    [Theory]
    [InlineData("SELECT \"Hash\" FROM \"AuditRecords\" ORDER BY \"Sequence\" DESC LIMIT 1")]           // PostgreSQL/SQLite paging
    [InlineData("INSERT INTO \"AuditTreeNodes\" (\"Level\") VALUES (@l0) ON CONFLICT DO NOTHING")]     // PostgreSQL upsert
    [InlineData("CREATE TABLE [T] ([Id] int) WITH (LEDGER = ON (APPEND_ONLY = MAYBE))")]               // not an option value
    [InlineData("EXEC(N'CREATE TABLE [T] ([Id] int) WITH (LEDGER = ON (APPEND_ONLY = ON)) AS SELECT 1')")]                                              // broken inside dynamic SQL
    public void Errors_StatementSqlServerRefuses_AreReported(string sql)
    {
        Assert.NotEmpty(TSql.Errors(sql));
    }

    [Fact]
    public void Batches_SplitOnGoLines_NotOnGoInsideText()
    {
        var batches = TSql.Batches("SELECT 1;\nGO\nSELECT 'GO';\n  go  \nSELECT 2;\n");

        Assert.Equal(["SELECT 1;", "SELECT 'GO';", "SELECT 2;\n"], batches);
    }
}
