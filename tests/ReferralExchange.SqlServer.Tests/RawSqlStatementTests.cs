using System.Reflection;
using ReferralExchange.Infrastructure.Persistence.RawSql;

namespace ReferralExchange.SqlServer.Tests;

/// <summary>Every hand-written statement the SQL Server path runs (<see cref="RawSqlCatalogue"/>) is valid T-SQL.</summary>
public sealed class RawSqlStatementTests
{
    public static TheoryData<string> Statements() => new(RawSqlCatalogue.SqlServer.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_ParsesWithTSql160_WithoutErrors(string name)
    {
        var statement = RawSqlCatalogue.SqlServer.Single(s => s.Name == name);

        var errors = TSql.Errors(statement.Sql);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Catalogue_NamesEveryStatementItsSourcesDefine()
    {
        // A new const or builder in AuditSql/SqlServerSql that nobody added to the catalogue would go unparsed.
        var defined = RawSqlCatalogue.Sources
            .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m is FieldInfo { IsLiteral: true } f && f.FieldType == typeof(string)
                     || m is MethodInfo { IsSpecialName: false } method && method.ReturnType == typeof(string))
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(defined);
        Assert.Empty(defined.Except(RawSqlCatalogue.MemberNames));
    }

    [Fact]
    public void TreeNodeStatements_LargestShape_StaysUnderSqlServerLimits()
    {
        // SQL Server: at most 2100 parameters per command and 1000 rows in one VALUES list.
        var insert = AuditSql.InsertTreeNodes(AuditSql.MaxTreeNodesPerStatement);
        var select = AuditSql.SelectTreeNodes(AuditSql.MaxTreeNodesPerStatement);

        Assert.True(Parameters(insert) <= 2100, $"{Parameters(insert)} parameters");
        Assert.True(Parameters(select) <= 2100, $"{Parameters(select)} parameters");
        Assert.True(AuditSql.MaxTreeNodesPerStatement <= 1000);
        Assert.Throws<ArgumentOutOfRangeException>(() => AuditSql.InsertTreeNodes(AuditSql.MaxTreeNodesPerStatement + 1));
    }

    private static int Parameters(string sql) => sql.Count(c => c == '@');
}
