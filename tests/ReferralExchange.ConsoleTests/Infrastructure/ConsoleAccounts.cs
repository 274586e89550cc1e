using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.ConsoleTests.Infrastructure;

/// <summary>Account lifecycle steps as people take them in the console: the operator's page, the one-time link, the person's own pages.</summary>
public static partial class ConsoleAccounts
{
    /// <summary>A password that meets Identity's rules (12+, upper, lower, digit, symbol).</summary>
    public const string NewPassword = "Chosen-By-The-Person-42";

    public static async Task<ConsoleClient> OperatorAsync(ConsoleFixture console)
    {
        var client = console.NewClient();
        var home = await client.SignInAsync(ConsoleFixture.Operator, ConsoleFixture.Password, ConsoleFixture.OperatorKey);
        Assert.Equal("/Operator/Partners", home.PathAndQuery);
        return client;
    }

    /// <returns>The one-time set-password link shown to the operator (absolute URL), and the page.</returns>
    public static async Task<(string Link, ConsoleClient.Page Page)> CreateAsync(ConsoleClient operatorClient, string userName, string partner, string displayName = "Sam Example")
    {
        var page = await operatorClient.SubmitAsync("/Operator/Accounts", "/Operator/Accounts?handler=Create",
            ("NewUserName", userName), ("NewDisplayName", displayName), ("NewEmail", ""), ("NewPartner", partner));
        Assert.True(page.Status == HttpStatusCode.OK, $"create answered {(int)page.Status}");
        return (LinkIn(page.Html), page);
    }

    public static async Task<string> ResetAsync(ConsoleFixture console, ConsoleClient operatorClient, string userName)
    {
        var page = await operatorClient.SubmitAsync("/Operator/Accounts", $"/Operator/Accounts?handler=Reset&id={await IdAsync(console, userName)}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return LinkIn(page.Html);
    }

    public static async Task<ConsoleClient.Page> ActAsync(ConsoleFixture console, ConsoleClient operatorClient, string handler, string userName) =>
        await operatorClient.SubmitAsync("/Operator/Accounts", $"/Operator/Accounts?handler={handler}&id={await IdAsync(console, userName)}");

    /// <summary>Opens the link and posts the new password with it, as the person's browser does.</summary>
    public static async Task<ConsoleClient.Page> SetPasswordAsync(ConsoleClient person, string link, string password = NewPassword)
    {
        var path = new Uri(link).PathAndQuery;
        var opened = await person.GetAsync(path);
        if (opened.Status != HttpStatusCode.OK) return opened;
        var secret = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query)["link"]!;
        return await person.PostAsync("/Account/SetPassword", [("link", secret), ("NewPassword", password), ("ConfirmPassword", password), ("__rx_af", opened.Token)]);
    }

    /// <summary>A new account of <paramref name="partner"/>, its password set through its link.</summary>
    public static async Task CreateWithPasswordAsync(ConsoleFixture console, ConsoleClient operatorClient, string userName, string partner, string password = NewPassword)
    {
        var (link, _) = await CreateAsync(operatorClient, userName, partner);
        using var person = console.NewClient();
        var set = await SetPasswordAsync(person, link, password);
        Assert.Contains("id=\"password-set\"", set.Html);
    }

    public static async Task<string> IdAsync(ConsoleFixture console, string userName)
    {
        using var scope = console.ConsoleServices.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName))!.Id;
    }

    public static async Task<ConsoleUser> FindAsync(ConsoleFixture console, string userName)
    {
        using var scope = console.ConsoleServices.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName))!;
    }

    public static async Task<ConsoleUser?> FindOrNullAsync(ConsoleFixture console, string userName)
    {
        using var scope = console.ConsoleServices.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(userName);
    }

    public static string LinkIn(string html) =>
        LinkPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("The page shows no set-password link");

    /// <summary>The authenticator key the enrolment page shows (spaces removed).</summary>
    public static string KeyIn(string html) =>
        KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal) : throw new InvalidOperationException("The page shows no authenticator key");

    public static IReadOnlyList<string> RecoveryCodesIn(string html) =>
        CodesPattern().Match(html) is { Success: true } m ? CodePattern().Matches(m.Value).Select(c => c.Groups[1].Value).ToList() : [];

    /// <summary>The validation message shown beside a field (empty when there is none).</summary>
    public static string ErrorBeside(string html, string field) =>
        Regex.Match(html, $"data-valmsg-for=\"{field}\"[^>]*>([^<]*)<") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    [GeneratedRegex("id=\"set-password-link\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("id=\"authenticator-key\">([A-Z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("<ul id=\"recovery-codes\"[^>]*>.*?</ul>", RegexOptions.Singleline)]
    private static partial Regex CodesPattern();

    [GeneratedRegex("<code>([^<]+)</code>")]
    private static partial Regex CodePattern();
}
