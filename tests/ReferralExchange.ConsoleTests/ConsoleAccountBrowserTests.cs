using Microsoft.Playwright;
using ReferralExchange.ConsoleTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// The account lifecycle in chromium, without any script of the console's: the operator creates an
/// account and hands over the one-time link; the person (on a phone) sets a password, signs in,
/// sets up TOTP from the QR page and signs in again with a code; a spent link is refused; a new
/// operator is led to enrolment. Every page is screenshot and scanned with axe (no serious or critical violation).
/// </summary>
public sealed class ConsoleAccountBrowserTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task AccountLifecycle_InChromium_WorksAndEveryPageIsAccessible()
    {
        await using var browser = await Browser.LaunchAsync(Path.Combine(console.ResultsDirectory, "accounts"));

        var op = await browser.NewPersonAsync(console.ConsoleAddress);
        await browser.SignInAsync(op, ConsoleFixture.Operator, ConsoleFixture.Password);
        await op.FillAsync("#Code", Totp.Code(ConsoleFixture.OperatorKey, DateTimeOffset.UtcNow));
        await op.ClickAsync("button:has-text('Verify')");
        await Assertions.Expect(op.Locator("h1")).ToHaveTextAsync("Partners");
        await op.ClickAsync("nav >> text=Accounts");
        await Assertions.Expect(op.Locator("h1")).ToHaveTextAsync("People's accounts");
        await browser.CheckAsync(op, "operator-accounts");

        // Server-side messages beside the fields (the form is novalidate).
        await op.ClickAsync("button:has-text('Create account')");
        await Assertions.Expect(op.Locator("#NewPartner-error")).Not.ToBeEmptyAsync();
        await browser.CheckAsync(op, "operator-accounts-invalid");

        await op.FillAsync("#NewUserName", "jo@psw-metro");
        await op.FillAsync("#NewDisplayName", "Jo Example");
        await op.SelectOptionAsync("#NewPartner", "psw-metro");
        await op.ClickAsync("button:has-text('Create account')");
        await Assertions.Expect(op.Locator("#issued-link")).ToContainTextAsync("one-time link for jo@psw-metro");
        await browser.CheckAsync(op, "operator-account-created-link");
        var link = await op.InputValueAsync("#set-password-link");

        var person = await browser.NewPersonAsync(console.ConsoleAddress, phone: true);
        await person.GotoAsync(link);
        await Assertions.Expect(person.Locator("#account-name")).ToHaveTextAsync("jo@psw-metro");
        await browser.CheckAsync(person, "set-password");
        await person.FillAsync("#NewPassword", "short");
        await person.FillAsync("#ConfirmPassword", "short");
        await person.ClickAsync("button:has-text('Set password')");
        await Assertions.Expect(person.Locator("#NewPassword-error")).Not.ToBeEmptyAsync();
        await browser.CheckAsync(person, "set-password-invalid");
        await person.FillAsync("#NewPassword", ConsoleAccounts.NewPassword);
        await person.FillAsync("#ConfirmPassword", ConsoleAccounts.NewPassword);
        await person.ClickAsync("button:has-text('Set password')");
        await Assertions.Expect(person.Locator("#password-set")).ToBeVisibleAsync();
        await browser.CheckAsync(person, "set-password-done");

        var spent = await person.GotoAsync(link);
        Assert.Equal(400, spent!.Status);
        await Assertions.Expect(person.Locator("#link-refused")).ToBeVisibleAsync();
        await browser.CheckAsync(person, "set-password-link-refused");

        await browser.SignInAsync(person, "jo@psw-metro", ConsoleAccounts.NewPassword);
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("My referrals");
        await person.ClickAsync("nav >> text=My account");
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("My account");
        await browser.CheckAsync(person, "my-account");
        await person.FillAsync("#CurrentPassword", "not-my-password");
        await person.FillAsync("#NewPassword", "Another-Good-Pass-9");
        await person.FillAsync("#ConfirmPassword", "Another-Good-Pass-9");
        await person.ClickAsync("button:has-text('Change password')");
        await Assertions.Expect(person.Locator("#CurrentPassword-error")).ToHaveTextAsync("That is not your current password.");
        await browser.CheckAsync(person, "my-account-wrong-current-password");

        await person.ClickAsync("text=Set up two-factor sign-in");
        await Assertions.Expect(person.Locator("svg[role=img]")).ToBeVisibleAsync();
        await browser.CheckAsync(person, "my-two-factor-setup");
        var key = (await person.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal);
        await person.FillAsync("#Code", Totp.Code(key, DateTimeOffset.UtcNow));
        await person.ClickAsync("button:has-text('Turn on two-factor')");
        await Assertions.Expect(person.Locator("#recovery-codes li")).ToHaveCountAsync(8);
        await browser.CheckAsync(person, "my-two-factor-recovery-codes");
        await person.GotoAsync("/MyAccount/TwoFactor");
        await browser.CheckAsync(person, "my-two-factor-on");
        await person.ClickAsync("button:has-text('Sign out')");

        await browser.SignInAsync(person, "jo@psw-metro", ConsoleAccounts.NewPassword);
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("Two-factor sign-in");
        await person.ClickAsync("summary:has-text('recovery code')");
        await browser.CheckAsync(person, "two-factor-with-recovery-option");
        await person.FillAsync("#Code", Totp.Code(key, DateTimeOffset.UtcNow));
        await person.ClickAsync("button:has-text('Verify')");
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("My referrals");

        // A new operator: the right password leads to enrolment, not to the operator's pages.
        await op.GotoAsync("/Operator/Accounts");
        await op.FillAsync("#NewUserName", "kim@gateway-operator");
        await op.FillAsync("#NewDisplayName", "Kim Example");
        await op.SelectOptionAsync("#NewPartner", "gateway-operator");
        await op.ClickAsync("button:has-text('Create account')");
        var operatorLink = await op.InputValueAsync("#set-password-link");
        await Assertions.Expect(op.Locator("tr[data-account='kim@gateway-operator'] .state")).ToHaveTextAsync("waiting for password");
        await browser.CheckAsync(op, "operator-accounts-with-new");
        var newOperator = await browser.NewPersonAsync(console.ConsoleAddress);
        await newOperator.GotoAsync(operatorLink);
        await newOperator.FillAsync("#NewPassword", ConsoleAccounts.NewPassword);
        await newOperator.FillAsync("#ConfirmPassword", ConsoleAccounts.NewPassword);
        await newOperator.ClickAsync("button:has-text('Set password')");
        await browser.SignInAsync(newOperator, "kim@gateway-operator", ConsoleAccounts.NewPassword);
        await Assertions.Expect(newOperator.Locator("h1")).ToHaveTextAsync("Set up two-factor sign-in");
        await browser.CheckAsync(newOperator, "operator-enrol-two-factor");
        var operatorKey = (await newOperator.TextContentAsync("#authenticator-key"))!.Replace(" ", "", StringComparison.Ordinal);
        await newOperator.FillAsync("#Code", Totp.Code(operatorKey, DateTimeOffset.UtcNow));
        await newOperator.ClickAsync("button:has-text('Turn on two-factor')");
        await Assertions.Expect(newOperator.Locator("#recovery-codes li")).ToHaveCountAsync(8);
        await browser.CheckAsync(newOperator, "operator-enrol-recovery-codes");
        await newOperator.ClickAsync("#continue");
        await Assertions.Expect(newOperator.Locator("h1")).ToHaveTextAsync("Partners");

        // Disabling ends the person's session at its next request.
        await op.ClickAsync("button:has-text('Disable jo@psw-metro')");
        await Assertions.Expect(op.GetByRole(AriaRole.Status)).ToContainTextAsync("disabled");
        await browser.CheckAsync(op, "operator-account-disabled");
        await person.GotoAsync("/Referrals");
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("Sign in");

        // The operator's accounts page on a phone: the table's cells stack, every button stays reachable.
        var opPhone = await browser.NewPersonAsync(console.ConsoleAddress, phone: true);
        await browser.SignInAsync(opPhone, ConsoleFixture.Operator, ConsoleFixture.Password);
        await opPhone.FillAsync("#Code", Totp.Code(ConsoleFixture.OperatorKey, DateTimeOffset.UtcNow));
        await opPhone.ClickAsync("button:has-text('Verify')");
        await Assertions.Expect(opPhone.Locator("h1")).ToHaveTextAsync("Partners");
        await opPhone.GotoAsync("/Operator/Accounts");
        await Assertions.Expect(opPhone.Locator("button:has-text('Enable jo@psw-metro')")).ToBeVisibleAsync();
        await browser.CheckAsync(opPhone, "operator-accounts-phone");

        var psw = await browser.NewPersonAsync(console.ConsoleAddress);
        await browser.SignInAsync(psw, ConsoleFixture.Psw, ConsoleFixture.Password);
        var denied = await psw.GotoAsync("/Operator/Accounts");
        Assert.Equal(403, denied!.Status);
        await Assertions.Expect(psw.Locator("h1")).ToHaveTextAsync("Not allowed");

        Assert.True(browser.SeriousViolations.Count == 0, string.Join("\n", browser.SeriousViolations));
    }
}
