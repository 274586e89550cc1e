using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ReferralExchange.SqlServer.Tests;

/// <summary>Microsoft's T-SQL parser for SQL Server 2022 (compatibility level 160), as the server's sessions see text.</summary>
internal static class TSql
{
    /// <summary>One parsed piece of text: a batch, or the text of an <c>EXEC(N'...')</c> inside one.</summary>
    public sealed record Parsed(string Text, TSqlFragment? Tree, IReadOnlyList<string> Errors);

    /// <summary>
    /// Parses a batch and, recursively, every constant string it runs with <c>EXEC(N'...')</c>: the
    /// idempotent script wraps DDL such as the ledger tables in dynamic SQL, which the outer parse
    /// sees only as a string literal. QUOTED_IDENTIFIER is ON, as in every session SqlClient opens
    /// (and as EF's script expects): "Name" is an identifier, not a string.
    /// </summary>
    public static IReadOnlyList<Parsed> Parse(string batch)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(batch);
        var tree = parser.Parse(reader, out var errors);
        var parsed = new List<Parsed> { new(batch, tree, errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList()) };
        if (tree is not null)
        {
            var dynamic = new DynamicSql();
            tree.Accept(dynamic);
            parsed.AddRange(dynamic.Texts.SelectMany(Parse));
        }
        return parsed;
    }

    /// <summary>All parse errors of a batch and of the dynamic SQL inside it, each with the text it is in.</summary>
    public static IReadOnlyList<string> Errors(string batch) =>
        Parse(batch).SelectMany(p => p.Errors.Select(e => $"{e} in:\n{p.Text}")).ToList();

    /// <summary>The batches of a script: sqlcmd and SSMS split on a line holding only GO; the server never sees GO.</summary>
    public static IReadOnlyList<string> Batches(string script) =>
        script.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split('\n')
            .Aggregate(new List<List<string>> { new() }, (batches, line) =>
            {
                if (line.Trim().Equals("GO", StringComparison.OrdinalIgnoreCase)) batches.Add([]);
                else batches[^1].Add(line);
                return batches;
            })
            .Select(lines => string.Join('\n', lines))
            .Where(batch => !string.IsNullOrWhiteSpace(batch))
            .ToList();

    /// <summary>Every fragment of type <typeparamref name="T"/> in the parsed texts.</summary>
    public static IReadOnlyList<T> All<T>(IEnumerable<Parsed> parsed) where T : TSqlFragment
    {
        var collector = new Collector<T>();
        foreach (var p in parsed) p.Tree?.Accept(collector);
        return collector.Found;
    }

    private sealed class DynamicSql : TSqlFragmentVisitor
    {
        public List<string> Texts { get; } = [];

        // EXEC(N'...' + @var + N'...'): the text the server would run, quotes unescaped by the parser.
        // EF concatenates only names it has put through QUOTENAME (a default constraint's), so a
        // variable stands in as a bracketed identifier of its own name.
        public override void ExplicitVisit(ExecutableStringList node)
        {
            Texts.Add(string.Concat(node.Strings.Select(part => part switch
            {
                StringLiteral literal => literal.Value,
                VariableReference variable => $"[{variable.Name.TrimStart('@')}]",
                _ => throw new NotSupportedException($"EXEC of a {part.GetType().Name}: teach the test what it stands for"),
            })));
            base.ExplicitVisit(node);
        }
    }

    private sealed class Collector<T> : TSqlFragmentVisitor where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match) Found.Add(match);
            base.Visit(fragment);
        }
    }
}
