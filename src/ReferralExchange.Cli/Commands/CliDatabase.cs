using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Cli.Commands;

/// <summary>
/// Which database an <c>rx</c> command works on, with the gateway's own settings (ADR 0020): the SQLite
/// file (<c>--database</c>, the default), or a server database (<c>--provider postgresql|sqlserver</c>
/// and <c>--connection-string</c>). Without the options, the gateway's environment variables
/// <c>Gateway__Database__Provider</c> and <c>Gateway__Database__ConnectionString</c> apply, so rx
/// run beside a replica finds the same database it does.
/// </summary>
public sealed class CliDatabase
{
    public Option<FileInfo> File { get; } = new("--database") { Description = "The gateway's SQLite database (provider sqlite)", DefaultValueFactory = _ => new FileInfo("data/referral-exchange.db") };
    public Option<string> Provider { get; } = new("--provider")
    {
        Description = "sqlite (default), postgresql or sqlserver, as Gateway:Database:Provider",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Gateway__Database__Provider") ?? "sqlite",
    };
    public Option<string?> ConnectionString { get; } = new("--connection-string")
    {
        Description = "The server database's connection string, as Gateway:Database:ConnectionString",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Gateway__Database__ConnectionString"),
    };

    public IEnumerable<Option> All => [File, Provider, ConnectionString];

    /// <summary>The database the command line names; <see cref="CliDatabaseChoice.Problem"/> says why it cannot be used.</summary>
    public CliDatabaseChoice Resolve(ParseResult parse)
    {
        DatabaseProvider kind;
        try
        {
            kind = DatabaseSetup.Parse(parse.GetValue(Provider) ?? "sqlite");
        }
        catch (ArgumentException error)
        {
            return new CliDatabaseChoice("(none)", error.Message, null, _ => { });
        }
        if (kind == DatabaseProvider.Sqlite)
        {
            var file = parse.GetValue(File)!;
            return new CliDatabaseChoice(file.FullName, file.Exists ? null : $"No database at {file.FullName}", file, o => o.UseGatewaySqlite(file.FullName));
        }
        var connection = parse.GetValue(ConnectionString);
        // The connection string may hold a password: it is never printed, only the provider is named.
        return string.IsNullOrWhiteSpace(connection)
            ? new CliDatabaseChoice(kind.ToString(), $"--connection-string (or Gateway__Database__ConnectionString) is required for {kind}", null, _ => { })
            : new CliDatabaseChoice($"the {kind} database", null, null, o => o.UseGatewayServer(kind, connection));
    }
}

/// <param name="Description">For messages: the file, or the provider (never the connection string).</param>
/// <param name="Problem">Why the database cannot be used, or null.</param>
/// <param name="File">The SQLite file, when it is one (witness folders are looked for beside it).</param>
public sealed record CliDatabaseChoice(string Description, string? Problem, FileInfo? File, Action<DbContextOptionsBuilder> Use)
{
    public GatewayDbContext Open()
    {
        var options = new DbContextOptionsBuilder<GatewayDbContext>();
        Use(options);
        return new GatewayDbContext(options.Options);
    }
}

public static class CliDatabaseCommandExtensions
{
    /// <summary>Lets a command's collection initialiser take the database options as one item.</summary>
    public static void Add(this Command command, CliDatabase database)
    {
        foreach (var option in database.All)
        {
            command.Options.Add(option);
        }
    }
}
