using Microsoft.Playwright;
using ReferralExchange.ConsoleTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// Issue 16 §6 in a real browser: the PSW creates a referral → the behavioral-health worker accepts
/// it and records the delivery → the PSW sees it delivered → the person revokes consent → the
/// worker's next view is refused; the operator's pages after TOTP. Screenshots of every page, and
/// axe-core on every page with no serious or critical violation.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Story_InChromium_WorksAndEveryPageIsAccessible()
    {
        await using var browser = await Browser.LaunchAsync(console.ResultsDirectory);

        var psw = await browser.NewPersonAsync(console.ConsoleAddress);
        await browser.SignInAsync(psw, ConsoleFixture.Psw, ConsoleFixture.Password, "sign-in");
        await psw.GotoAsync("/Referrals/New");
        await browser.CheckAsync(psw, "psw-new-referral");
        await psw.FillAsync("#Form_GivenName", "Ximena");
        await psw.FillAsync("#Form_FamilyName", "Quillfeather");
        await psw.FillAsync("#Form_BirthDate", "1987-03-14");
        await psw.SelectOptionAsync("#Form_Gender", "female");
        await psw.FillAsync("#Form_Phone", "555-0199");
        await psw.CheckAsync("#Form_Needs_mental-health");
        await psw.FillAsync("#Form_NeedDescription", "Needs follow-up after a welfare check");
        await psw.SelectOptionAsync("#Form_Urgency", "urgent");
        await psw.FillAsync("#Form_SafeContactInstructions", "Lives behind the library; call first");
        await psw.SelectOptionAsync("#Form_Recipient", "bh-riverside");
        await psw.CheckAsync("#Form_ConsentRecipients_bh-riverside");
        await psw.CheckAsync("#Form_ConsentDataClasses_mental-health");
        await psw.FillAsync("#Form_ConsentExpiresOn", "2027-12-31");
        await psw.FillAsync("#Form_ConsentFormReference", "https://psw-metro.example/forms/RF-1");
        await psw.ClickAsync("button:has-text('Send referral')");
        await Assertions.Expect(psw.GetByRole(AriaRole.Status)).ToContainTextAsync("The referral was sent");
        await browser.CheckAsync(psw, "psw-referral-sent");
        var taskId = new Uri(psw.Url).AbsolutePath.Split('/')[2];

        var worker = await browser.NewPersonAsync(console.ConsoleAddress, phone: true);
        await browser.SignInAsync(worker, ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        await worker.GotoAsync("/Inbox");
        await browser.CheckAsync(worker, "partner-inbox");
        await worker.ClickAsync($"a[href='/Inbox/{taskId}']");
        await Assertions.Expect(worker.Locator("#task-status")).ToHaveTextAsync("requested");
        await browser.CheckAsync(worker, "partner-referral");
        await worker.ClickAsync("button:has-text('Accept')");
        await Assertions.Expect(worker.Locator("#task-status")).ToHaveTextAsync("accepted");
        await worker.SelectOptionAsync("#DeliveredService", "intake-appointment-attended");
        await worker.ClickAsync("button:has-text('Record the service delivered')");
        await Assertions.Expect(worker.Locator("#task-status")).ToHaveTextAsync("completed");
        await browser.CheckAsync(worker, "partner-referral-completed");

        await psw.GotoAsync("/Referrals");
        await Assertions.Expect(psw.Locator($"tr:has(a[href='/Referrals/{taskId}']) .badge")).ToHaveTextAsync("Delivered");
        await browser.CheckAsync(psw, "psw-referral-list");
        await psw.GotoAsync($"/Referrals/{taskId}");
        await Assertions.Expect(psw.Locator("#delivered")).ToContainTextAsync("Yes");
        await browser.CheckAsync(psw, "psw-referral-detail");
        await psw.ClickAsync("button:has-text('Record revocation of consent')");
        await Assertions.Expect(psw.GetByRole(AriaRole.Status)).ToContainTextAsync("revocation was recorded");

        var refused = await worker.GotoAsync($"/Inbox/{taskId}");
        Assert.Equal(404, refused!.Status);
        // After revocation: the same page as for a referral that never was (ADR 0024).
        await Assertions.Expect(worker.Locator("h1")).ToHaveTextAsync("Referral not available");
        await browser.CheckAsync(worker, "partner-referral-refused");

        var operatorPage = await browser.NewPersonAsync(console.ConsoleAddress);
        await browser.SignInAsync(operatorPage, ConsoleFixture.Operator, ConsoleFixture.Password);
        await browser.CheckAsync(operatorPage, "operator-two-factor");
        await operatorPage.FillAsync("#Code", Totp.Code(ConsoleFixture.OperatorKey, DateTimeOffset.UtcNow));
        await operatorPage.ClickAsync("button:has-text('Verify')");
        await Assertions.Expect(operatorPage.Locator("h1")).ToHaveTextAsync("Partners");
        foreach (var (path, name) in new[] { ("/Operator/Partners", "operator-partners"), ("/Operator/Notifications", "operator-notifications"), ("/Operator/Audit", "operator-audit"), ("/Operator/Outcomes", "operator-outcomes") })
        {
            var response = await operatorPage.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await browser.CheckAsync(operatorPage, name);
        }

        Assert.True(browser.SeriousViolations.Count == 0, string.Join("\n", browser.SeriousViolations));
    }

    [Fact]
    public async Task ErrorDeniedAndSignedOutPages_AreAccessibleToo()
    {
        // Issue 16 §5 says "any page": the pages people meet when something goes wrong as well.
        await using var browser = await Browser.LaunchAsync(Path.Combine(console.ResultsDirectory, "error-pages"));
        var person = await browser.NewPersonAsync(console.ConsoleAddress);
        await person.GotoAsync("/Account/SignIn");
        await person.FillAsync("#UserName", ConsoleFixture.Psw);
        await person.FillAsync("#Password", "not-the-password");
        await person.ClickAsync("button:has-text('Sign in')");
        await Assertions.Expect(person.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
        await browser.CheckAsync(person, "sign-in-failed");

        await browser.SignInAsync(person, ConsoleFixture.Psw, ConsoleFixture.Password);
        await person.GotoAsync("/Referrals/New");
        // The server's own messages, not the browser's: switch off the form's built-in checks.
        await person.EvalOnSelectorAsync("form:has(button:has-text('Send referral'))", "f => f.noValidate = true");
        await person.FillAsync("#Form_BirthDate", "2999-01-01");
        await person.ClickAsync("button:has-text('Send referral')");
        await Assertions.Expect(person.Locator(".field-validation-error").First).ToBeVisibleAsync();
        await browser.CheckAsync(person, "psw-new-referral-invalid");

        await person.ClickAsync("button:has-text('Sign out')");
        await Assertions.Expect(person.Locator("h1")).ToHaveTextAsync("Signed out");
        await browser.CheckAsync(person, "signed-out");

        var worker = await browser.NewPersonAsync(console.ConsoleAddress);
        await browser.SignInAsync(worker, ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        await worker.GotoAsync("/Referrals/New");
        Assert.Contains("/Account/Denied", worker.Url, StringComparison.Ordinal);
        await browser.CheckAsync(worker, "denied");

        Assert.True(browser.SeriousViolations.Count == 0, string.Join("\n", browser.SeriousViolations));
    }

    [Fact]
    public async Task ReferralTheConsentWithholds_InChromium_IsThePageForNoReferralAndAccessible()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var taskId = await ConsoleReferrals.CreateWithoutClassAsync(psw, "mental-health");

        await using var browser = await Browser.LaunchAsync(console.ResultsDirectory);
        var worker = await browser.NewPersonAsync(console.ConsoleAddress, phone: true);
        await browser.SignInAsync(worker, ConsoleFixture.BehavioralHealth, ConsoleFixture.Password);
        await worker.GotoAsync("/Inbox");
        await Assertions.Expect(worker.Locator($"a[href='/Inbox/{taskId}']")).ToHaveCountAsync(0);
        var answer = await worker.GotoAsync($"/Inbox/{taskId}");
        Assert.Equal(404, answer!.Status);
        await Assertions.Expect(worker.Locator("h1")).ToHaveTextAsync("Referral not available");
        var words = await worker.Locator("#unavailable").InnerTextAsync();
        await browser.CheckAsync(worker, "partner-referral-unavailable");
        Assert.DoesNotContain("Quillfeather", await worker.ContentAsync());
        await worker.GotoAsync($"/Inbox/{Guid.NewGuid():N}");
        await Assertions.Expect(worker.Locator("#unavailable")).ToHaveTextAsync(words);
        Assert.Equal("Referral not available · Referral Exchange", await worker.TitleAsync());
        Assert.True(browser.SeriousViolations.Count == 0, string.Join("\n", browser.SeriousViolations));
    }

    [Fact]
    public async Task AxeScan_OfAnInaccessiblePage_FindsTheViolation()
    {
        // The accessibility check above can fail: the same scan flags an image without alternative text.
        await using var browser = await Browser.LaunchAsync(Path.Combine(console.ResultsDirectory, "axe-self-check"));
        var page = await browser.NewPersonAsync(console.ConsoleAddress);
        await page.SetContentAsync("<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main><img src=\"x.png\"></main></body></html>");
        await browser.CheckAsync(page, "inaccessible");
        Assert.Contains(browser.SeriousViolations, v => v.Contains("image-alt", StringComparison.Ordinal));
    }
}
