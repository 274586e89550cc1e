using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>
/// Clean start (issue 13 §6): each start-up step that touches the environment (folders, files,
/// certificates, the database) runs here, so a problem with it stops the gateway as one
/// <see cref="GatewayStartupException"/> naming what failed and the setting to look at, instead of
/// an unhandled-exception dump. The message carries file names, never file contents or secrets.
/// </summary>
public static class StartupCheck
{
    public static T Run<T>(string setting, string what, Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception error) when (error is not GatewayStartupException and not OutOfMemoryException)
        {
            throw Refusal(setting, what, error);
        }
    }

    public static void Run(string setting, string what, Action step) => Run(setting, what, () => { step(); return true; });

    public static Task RunAsync(string setting, string what, Func<Task> step) => RunAsync(setting, what, async () => { await step(); return true; });

    public static async Task<T> RunAsync<T>(string setting, string what, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception error) when (error is not GatewayStartupException and not OutOfMemoryException)
        {
            throw Refusal(setting, what, error);
        }
    }

    public static GatewayStartupException Refusal(string setting, string what, Exception error) =>
        new($"{what}: {Describe(error)} (check {setting})");

    private static string Describe(Exception error) => error switch
    {
        FileNotFoundException missing => $"{missing.FileName ?? "a file"} does not exist",
        DirectoryNotFoundException => "a folder on the path does not exist",
        UnauthorizedAccessException => "permission denied",
        // SQLite result codes (sqlite.org/rescode.html): 8 READONLY, 14 CANTOPEN, 26 NOTADB, 11 CORRUPT, 5 BUSY.
        SqliteException { SqliteErrorCode: 8 } => "the database is read-only for this user",
        SqliteException { SqliteErrorCode: 14 } => "the database file cannot be opened or created",
        SqliteException { SqliteErrorCode: 26 or 11 } => "the file is not a usable SQLite database",
        SqliteException { SqliteErrorCode: 5 or 6 } => "the database is locked by another process",
        DbException db => $"the database refused ({db.GetType().Name} {db.ErrorCode})",
        JsonException json => $"not valid JSON (line {json.LineNumber + 1})",
        CryptographicException => "not a readable certificate or key (wrong format or password)",
        IOException io => io.Message,
        _ when error.InnerException is { } inner && error is not InvalidOperationException => Describe(inner),
        _ => error.Message,
    };
}
