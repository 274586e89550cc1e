using System.Net;
using ReferralExchange.ConsoleTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>Set-password links expire: a fixture whose links live two seconds.</summary>
public sealed class ShortLinkConsoleFixture : ConsoleFixture
{
    protected override IEnumerable<string> ExtraArguments => ["--Console:SetPasswordLinkLifetime=00:00:02"];
}

public sealed class ConsoleSetPasswordLinkExpiryTests(ShortLinkConsoleFixture console) : IClassFixture<ShortLinkConsoleFixture>
{
    [Fact]
    public async Task SetPasswordLink_AfterItsLifetime_IsRefused()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        var (link, _) = await ConsoleAccounts.CreateAsync(op, "ivy@psw-metro", "psw-metro");
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var person = console.NewClient();
        var expired = await ConsoleAccounts.SetPasswordAsync(person, link);
        Assert.Equal(HttpStatusCode.BadRequest, expired.Status);
        Assert.Contains("id=\"link-refused\"", expired.Html);
        Assert.True(ReferralExchange.WebConsole.Accounts.AccountState.AwaitsPassword(await ConsoleAccounts.FindAsync(console, "ivy@psw-metro")));
    }
}
