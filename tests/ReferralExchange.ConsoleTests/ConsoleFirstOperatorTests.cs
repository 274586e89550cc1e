using System.Net;
using Microsoft.Data.Sqlite;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// A new installation seeds nobody, and only an operator can make accounts: the console makes the
/// first operator account itself and leaves its one-time set-password link in an owner-only file
/// in the data directory (<see cref="FirstOperatorAccount"/>), never in the log or on the terminal.
/// Real hosts on Kestrel with TLS, a real SQLite accounts file, nothing seeded.
/// </summary>
public sealed class ConsoleFirstOperatorTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-first-" + Guid.NewGuid().ToString("N")[..12]);

    private string Certificates => Path.Combine(_root, "certs");
    private string LinkFile => Path.Combine(_root, "data", FirstOperatorAccount.LinkFile);

    [Fact]
    public async Task NoOperatorYet_TheLinkIsInAnOwnerOnlyFile_SetsThePassword_AndIsGoneOnceAnOperatorCanSignIn()
    {
        var said = new StringWriter();
        var first = await StartAsync(said);
        Assert.True(File.Exists(LinkFile), "no link file for the first operator");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LinkFile));
        var lines = await File.ReadAllLinesAsync(LinkFile);
        Assert.Equal("operator", lines[0]);
        var link = lines[1];
        var secret = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["link"]!;
        // The terminal says where the link is, and neither it nor the log says what it is.
        Assert.Contains(LinkFile, said.ToString());
        Assert.DoesNotContain(secret, said.ToString());
        Assert.DoesNotContain(first.Logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));

        using (var installer = first.NewClient(Certificates))
        {
            var set = await ConsoleAccounts.SetPasswordAsync(installer, link);
            Assert.Contains("id=\"password-set\"", set.Html);
        }
        using (var browser = first.NewClient(Certificates))
        {
            // An operator: the password leads to setting up two-factor, not to a session.
            var landed = await browser.FollowAsync(await browser.SignInAsync("operator", ConsoleAccounts.NewPassword));
            Assert.Equal(HttpStatusCode.OK, landed.Status);
            Assert.Equal("/Account/EnrolTwoFactor", landed.PathAndQuery.Split('?')[0]);
        }
        // A second start while the link is unused would issue a new one; now an operator has a password: none, and the file goes.
        await first.DisposeAsync();
        var again = new StringWriter();
        await using var second = await StartAsync(again);
        Assert.False(File.Exists(LinkFile), "the link file outlived its use");
        Assert.DoesNotContain(FirstOperatorAccount.LinkFile, again.ToString());
    }

    [Fact]
    public async Task EachStartBeforeThePasswordIsSet_IssuesAFreshLink_AndTheEarlierOneDies()
    {
        var first = await StartAsync(new StringWriter());
        var earlier = (await File.ReadAllLinesAsync(LinkFile))[1];
        await first.DisposeAsync();

        await using var second = await StartAsync(new StringWriter());
        var newer = (await File.ReadAllLinesAsync(LinkFile))[1];
        Assert.NotEqual(earlier, newer);
        using var installer = second.NewClient(Certificates);
        Assert.Equal(HttpStatusCode.BadRequest, (await ConsoleAccounts.SetPasswordAsync(installer, earlier)).Status);
        Assert.Contains("id=\"password-set\"", (await ConsoleAccounts.SetPasswordAsync(installer, newer)).Html);
    }

    private Task<ConsoleInstance> StartAsync(TextWriter said) =>
        ConsoleInstance.StartAsync(ConsoleFixture.HostArgs(_root, "--Console:SeedDevelopmentAccounts=false"), said);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
