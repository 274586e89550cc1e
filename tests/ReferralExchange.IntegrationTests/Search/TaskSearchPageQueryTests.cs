using System.Text.Json.Nodes;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Search;

/// <summary>
/// A Task page is one statement (ADR 0032): the ordered, limited page of the access index joined
/// with its referrals and its Tasks' current versions. A join may return rows in any order (a hash
/// join on PostgreSQL does), so the statement must order the joined rows itself, by the same keys
/// as the keyset: EF lifts the subquery's ORDER BY onto the outer query, and these tests read the
/// SQL it sent, on SQLite and on PostgreSQL, and the order of the Bundle it answered.
/// </summary>
public abstract class TaskSearchPageQueryTests(GatewayFixture gateway)
{
    private const string Va = GatewayFixture.Veterans;

    [Theory]
    [InlineData("_lastUpdated", "t1.LastUpdatedTicks, t1.TaskId")]
    [InlineData("-_lastUpdated", "t1.LastUpdatedTicks DESC, t1.TaskId DESC")]
    [InlineData("authored-on", "t1.AuthoredOnTicks, t1.LastUpdatedTicks, t1.TaskId")]
    public async Task Page_IsOneStatementThatOrdersItsJoinedRows_AndTheBundleFollowsTheSort(string sort, string orderTail)
    {
        using var psw = gateway.ClientFor(GatewayFixture.Psw);
        using var va = gateway.ClientFor(Va);
        var mark = DateTimeOffset.UtcNow.AddMilliseconds(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ");
        var submitted = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            submitted.Add((await psw.SubmitReferralAsync(ReferralSamples.Native(recipient: Va, categories: ["veteran-status"]))).TaskId);
        }

        var logged = gateway.Logs.Lines.Count;
        var bundle = await (await va.GetAsync($"/fhir/Task?owner=Organization/{Va}&_lastUpdated=ge{mark}&_sort={sort}&_count=10")).JsonAsync();

        // Submitted one after another: by last update and by authoring they are in submission order.
        var expected = sort.StartsWith('-') ? Enumerable.Reverse(submitted).ToList() : submitted;
        Assert.Equal(expected, bundle.MatchIds());
        Assert.All(bundle["entry"]!.AsArray(), e => Assert.Equal("Task", e!["resource"]!["resourceType"]!.GetValue<string>()));

        // The search's own statements: the page, then its candidates and consent heads (no per-Task read).
        var statements = Statements(logged);
        var page = Assert.Single(statements, sql => sql.Contains("FROM \"TaskIndex\"", StringComparison.Ordinal));
        Assert.DoesNotContain(statements, sql => sql.Contains("FROM \"Referrals\"", StringComparison.Ordinal));
        Assert.Contains("INNER JOIN \"Referrals\"", page, StringComparison.Ordinal);
        Assert.Contains("INNER JOIN \"ResourceVersions\"", page, StringComparison.Ordinal);
        // Quoting differs by provider (Npgsql leaves lower-case aliases bare): compared without it.
        var outer = page[page.LastIndexOf(')')..].Replace("\"", "", StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY " + orderTail, outer.TrimEnd(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The SQL that requests (not background services) sent after the first <paramref name="skip"/>
    /// log lines; this class's requests run one at a time. EF's command log carries no parameter values.
    /// </summary>
    private List<string> Statements(int skip) =>
        gateway.Logs.Lines.Skip(skip)
            .Select(line => JsonNode.Parse(line)!)
            .Where(line => line["RequestId"] is not null)
            .Select(line => line["commandText"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
}

/// <summary>EF's command log on, at the level the gateway's configuration sets it.</summary>
public sealed class CommandLoggingGateway : GatewayFixture
{
    internal static readonly KeyValuePair<string, string?> CommandLog =
        new("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command", "Information");

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [CommandLog];
}

/// <inheritdoc cref="CommandLoggingGateway"/>
public sealed class CommandLoggingPostgreSqlGateway : PostgreSqlGatewayFixture
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [CommandLoggingGateway.CommandLog];
}

public sealed class SqliteTaskSearchPageQueryTests(CommandLoggingGateway gateway) : TaskSearchPageQueryTests(gateway), IClassFixture<CommandLoggingGateway>;

public sealed class PostgreSqlTaskSearchPageQueryTests(CommandLoggingPostgreSqlGateway gateway) : TaskSearchPageQueryTests(gateway), IClassFixture<CommandLoggingPostgreSqlGateway>;
