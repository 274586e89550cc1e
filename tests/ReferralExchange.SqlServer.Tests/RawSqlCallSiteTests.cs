using System.Text.RegularExpressions;
using ReferralExchange.Infrastructure.Persistence.RawSql;

namespace ReferralExchange.SqlServer.Tests;

/// <summary>
/// Raw SQL can only reach SQL Server through the catalogue: every call that sends hand-written text
/// (ExecuteSqlRaw, SqlQueryRaw, FromSql, CommandText ...) takes it from <see cref="AuditSql"/> or
/// <see cref="SqlServerSql"/>, whose statements <see cref="RawSqlStatementTests"/> parses. A new call
/// with its SQL written inline fails here until its statement joins the catalogue.
/// </summary>
public sealed partial class RawSqlCallSiteTests
{
    [GeneratedRegex(@"ExecuteSql\w*\s*\(|SqlQuery\w*\s*[<(]|FromSql\w*\s*\(|\.CommandText\s*=|migrationBuilder\.Sql\s*\(")]
    private static partial Regex RawSqlCall();

    /// <summary>The forwarding helper's own declaration (an access modifier), not a call of it.</summary>
    [GeneratedRegex(@"^\s*(private|public|internal|protected)\b")]
    private static partial Regex HelperDeclaration();

    /// <summary>
    /// Call sites that never run on SQL Server, each with the guard that keeps them off it. The count
    /// is exact, so a further call in the same file must be looked at too.
    /// </summary>
    private static readonly Dictionary<string, (int Calls, string Why)> SqliteOnly = new(StringComparer.Ordinal)
    {
        ["src/ReferralExchange.Infrastructure/Persistence/DatabaseSetup.cs"] = (1, "PRAGMA journal_mode=WAL, under IsSqlite()"),
        ["src/ReferralExchange.Infrastructure/Persistence/SqlitePageCache.cs"] = (1, "PRAGMA cache_size, only on a SqliteConnection; the interceptor is added by UseGatewaySqlite alone"),
        ["src/ReferralExchange.Infrastructure/Audit/AppendOnlyTriggers.cs"] = (3, "sqlite_master and its triggers, under IsSqlite() (SQL Server has ledger tables)"),
        ["src/ReferralExchange.Console.Accounts/AccountsMigration.cs"] = (2, "the accounts file's PRAGMA journal_mode=WAL and sqlite_master, under DatabaseProvider.Sqlite"),
    };

    /// <summary>
    /// Helpers that run the text they are given (file → helper name): their own call is allowed, and
    /// instead every call of the helper in that file must name the catalogue.
    /// </summary>
    private static readonly Dictionary<string, string> Forwarders = new(StringComparer.Ordinal)
    {
        ["src/ReferralExchange.Infrastructure/Audit/ResourceCoverageVerifier.cs"] = "RowsAsync",
        ["src/ReferralExchange.Infrastructure/Audit/AuditRowWriter.cs"] = "Begin", // RowStatement.Begin: the one command re-bound per row (ADR 0031)
    };

    /// <summary>
    /// Not scanned: the migrations assemblies (their SQL is in the generated script, parsed by
    /// <see cref="MigrationScriptTests"/>; SQLite's and PostgreSQL's never reach SQL Server), the
    /// PostgreSQL folders (ADR 0017: PostgreSQL-only SQL lives there and nowhere else; the accounts
    /// database has its own, ADR 0024), and the catalogue itself.
    /// </summary>
    private static readonly string[] NotScanned =
    [
        "src/ReferralExchange.Migrations.",
        "src/ReferralExchange.Infrastructure/Persistence/PostgreSql/",
        "src/ReferralExchange.Console.Accounts/PostgreSql/",
        "src/ReferralExchange.Infrastructure/Persistence/RawSql/",
    ];

    [Fact]
    public void RawSqlCalls_OutsideSqliteOnlyCode_TakeTheirTextFromTheCatalogue()
    {
        var calls = Calls();
        var sources = RawSqlCatalogue.Sources.Select(t => t.Name + ".").ToArray();

        var forwarded = Forwarders.SelectMany(f => Lines(f.Key)
            .Where(c => c.Line.Contains(f.Value + "(", StringComparison.Ordinal) && !HelperDeclaration().IsMatch(c.Line)));
        var inline = calls
            .Where(c => !SqliteOnly.ContainsKey(c.File))
            .Where(c => !(Forwarders.ContainsKey(c.File) && c.Line.Contains(".CommandText", StringComparison.Ordinal)))
            .Concat(forwarded)
            .Where(c => !sources.Any(s => c.Line.Contains(s, StringComparison.Ordinal)))
            .Select(c => $"{c.File}:{c.Number}: {c.Line.Trim()}")
            .ToList();

        Assert.NotEmpty(calls); // the scan found the call sites it is about
        Assert.True(inline.Count == 0,
            "raw SQL not from the catalogue (put the statement in Persistence/RawSql and RawSqlCatalogue, or in Persistence/PostgreSql if PostgreSQL-only):\n" + string.Join("\n", inline));
    }

    [Fact]
    public void SqliteOnlyFiles_HaveExactlyTheirKnownCalls()
    {
        var counts = Calls().GroupBy(c => c.File).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        foreach (var (file, (expected, why)) in SqliteOnly)
        {
            Assert.True(counts.GetValueOrDefault(file) == expected,
                $"{file}: {counts.GetValueOrDefault(file)} raw SQL calls, {expected} known ({why}); a new one needs its own look: does it run on SQL Server?");
        }
    }

    private sealed record Call(string File, int Number, string Line);

    private static List<Call> Calls()
    {
        var root = RepositoryRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .Where(file => !NotScanned.Any(prefix => file.StartsWith(prefix, StringComparison.Ordinal)))
            .SelectMany(Lines)
            .Where(c => RawSqlCall().IsMatch(c.Line))
            .ToList();
    }

    /// <summary>A source file's lines, comments left out.</summary>
    private static IEnumerable<Call> Lines(string file) =>
        File.ReadLines(Path.Combine(RepositoryRoot(), file))
            .Select((line, index) => new Call(file, index + 1, line))
            .Where(c => !c.Line.TrimStart().StartsWith("//", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReferralExchange.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ReferralExchange.sln not found above " + AppContext.BaseDirectory);
    }
}
