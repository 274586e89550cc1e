using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.Core.Audit;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// The account lifecycle over HTTP against the real console: the operator creates, disables,
/// unlocks and resets accounts with one-time set-password links; the person sets and changes their
/// password and enrols TOTP; sessions end when the account changes; only operators manage accounts.
/// </summary>
public sealed class ConsoleAccountTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task NewAccount_SetsItsOwnPasswordThroughTheOneTimeLink_ThenSignsIn_AndTheLinkIsSpent()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        var (link, created) = await ConsoleAccounts.CreateAsync(op, "ana@psw-metro", "psw-metro");
        Assert.Contains("Account created", created.Html);
        Assert.Contains("waiting for password", (await op.GetAsync("/Operator/Accounts")).Html);
        // The link is never shown again, nor is any password.
        Assert.DoesNotContain(new Uri(link).Query, (await op.GetAsync("/Operator/Accounts")).Html);

        using var person = console.NewClient();
        var opened = await person.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, opened.Status);
        Assert.Contains("ana@psw-metro", opened.Html);
        Assert.Equal("no-store", opened.Response.Headers.CacheControl!.ToString());
        Assert.Equal("no-referrer", opened.Response.Headers.GetValues("Referrer-Policy").Single());
        // The token goes back in the form body, not in the form's action.
        Assert.Matches("<form method=\"post\" novalidate>", opened.Html);

        var weak = await ConsoleAccounts.SetPasswordAsync(person, link, "short");
        Assert.NotEmpty(ConsoleAccounts.ErrorBeside(weak.Html, "NewPassword"));
        var set = await ConsoleAccounts.SetPasswordAsync(person, link);
        Assert.Contains("id=\"password-set\"", set.Html);

        var home = await person.SignInAsync("ana@psw-metro", ConsoleAccounts.NewPassword);
        Assert.Equal("/Referrals", home.PathAndQuery);

        using var again = console.NewClient();
        var reused = await ConsoleAccounts.SetPasswordAsync(again, link, "Someone-Else-Chose-99");
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Contains("id=\"link-refused\"", reused.Html);
        Assert.Equal("/Referrals", (await again.SignInAsync("ana@psw-metro", ConsoleAccounts.NewPassword)).PathAndQuery);
    }

    [Fact]
    public async Task PasswordReset_EndsTheOldPasswordAndEveryEarlierLink_TheNewLinkSetsANewOne()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        var (first, _) = await ConsoleAccounts.CreateAsync(op, "ben@bh-riverside", "bh-riverside");
        var second = await ConsoleAccounts.ResetAsync(console, op, "ben@bh-riverside");
        using var person = console.NewClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await ConsoleAccounts.SetPasswordAsync(person, first)).Status);
        Assert.Contains("id=\"password-set\"", (await ConsoleAccounts.SetPasswordAsync(person, second)).Html);
        Assert.Equal("/Inbox", (await person.SignInAsync("ben@bh-riverside", ConsoleAccounts.NewPassword)).PathAndQuery);

        var third = await ConsoleAccounts.ResetAsync(console, op, "ben@bh-riverside");
        // The open session ended with the reset, and the old password no longer signs in.
        Assert.StartsWith("/Account/SignIn", (await person.FollowAsync("/Inbox")).PathAndQuery);
        using var later = console.NewClient();
        Assert.Contains("not right", (await later.SignInAsync("ben@bh-riverside", ConsoleAccounts.NewPassword)).Html);
        Assert.Contains("id=\"password-set\"", (await ConsoleAccounts.SetPasswordAsync(later, third, "Second-Choice-Pass-77")).Html);
        Assert.Equal("/Inbox", (await later.SignInAsync("ben@bh-riverside", "Second-Choice-Pass-77")).PathAndQuery);
    }

    [Fact]
    public async Task SetPasswordLink_Forged_IsRefused()
    {
        using var person = console.NewClient();
        var id = await ConsoleAccounts.IdAsync(console, ConsoleFixture.Housing);
        var forged = await person.GetAsync($"/Account/SetPassword?link={id}.bm90LWEtdG9rZW4");
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Contains("id=\"link-refused\"", forged.Html);
        Assert.Equal(HttpStatusCode.BadRequest, (await person.GetAsync("/Account/SetPassword")).Status);
    }

    [Fact]
    public async Task DisabledAccount_CannotSignIn_ItsOpenSessionEndsAtItsNextRequest_AndReEnabledItCan()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        await ConsoleAccounts.CreateWithPasswordAsync(console, op, "cy@housing-harbor", "housing-harbor");
        using var person = console.NewClient();
        Assert.Equal("/Inbox", (await person.SignInAsync("cy@housing-harbor", ConsoleAccounts.NewPassword)).PathAndQuery);

        var disabled = await ConsoleAccounts.ActAsync(console, op, "Disable", "cy@housing-harbor");
        Assert.Equal("/Operator/Accounts?done=disabled", disabled.Location);
        Assert.Matches("data-account=\"cy@housing-harbor\">(?:(?!</tr>).)*<span class=\"state\">disabled</span>", (await op.GetAsync("/Operator/Accounts")).Html.Replace("\n", " ", StringComparison.Ordinal));

        var next = await person.GetAsync("/Inbox");
        Assert.Equal(HttpStatusCode.Redirect, next.Status);
        Assert.StartsWith("/Account/SignIn", (await person.FollowAsync(next)).PathAndQuery);
        Assert.DoesNotContain(person.Cookies.GetAllCookies(), c => c.Name == "__Host-rx-session" && !c.Expired && c.Value.Length > 0);

        using var retry = console.NewClient();
        var refused = await retry.SignInAsync("cy@housing-harbor", ConsoleAccounts.NewPassword);
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("This account is disabled", refused.Html);

        Assert.Equal("/Operator/Accounts?done=enabled", (await ConsoleAccounts.ActAsync(console, op, "Enable", "cy@housing-harbor")).Location);
        Assert.Equal("/Inbox", (await retry.SignInAsync("cy@housing-harbor", ConsoleAccounts.NewPassword)).PathAndQuery);
    }

    [Fact]
    public async Task LockedOutAccount_IsUnlockedByTheOperator()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        await ConsoleAccounts.CreateWithPasswordAsync(console, op, "dee@va-central", "va-central");
        using var person = console.NewClient();
        for (var i = 0; i < 5; i++) await person.SignInAsync("dee@va-central", "wrong-password-" + i);
        Assert.Contains("locked", (await person.SignInAsync("dee@va-central", ConsoleAccounts.NewPassword)).Html);
        Assert.Contains("locked until", (await op.GetAsync("/Operator/Accounts")).Html);

        Assert.Equal("/Operator/Accounts?done=unlocked", (await ConsoleAccounts.ActAsync(console, op, "Unlock", "dee@va-central")).Location);
        Assert.Equal("/Inbox", (await person.SignInAsync("dee@va-central", ConsoleAccounts.NewPassword)).PathAndQuery);
    }

    [Fact]
    public async Task ChangePassword_RequiresTheCurrentOne_AndKeepsThisSession()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        await ConsoleAccounts.CreateWithPasswordAsync(console, op, "eve@psw-metro", "psw-metro");
        using var person = console.NewClient();
        await person.SignInAsync("eve@psw-metro", ConsoleAccounts.NewPassword);
        using var otherDevice = console.NewClient();
        await otherDevice.SignInAsync("eve@psw-metro", ConsoleAccounts.NewPassword);

        var wrong = await person.SubmitAsync("/MyAccount", "/MyAccount", ("CurrentPassword", "not-my-password"), ("NewPassword", "Brand-New-Pass-123"), ("ConfirmPassword", "Brand-New-Pass-123"));
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Equal("That is not your current password.", ConsoleAccounts.ErrorBeside(wrong.Html, "CurrentPassword"));
        var weak = await person.SubmitAsync("/MyAccount", "/MyAccount", ("CurrentPassword", ConsoleAccounts.NewPassword), ("NewPassword", "weakpassword"), ("ConfirmPassword", "weakpassword"));
        Assert.NotEmpty(ConsoleAccounts.ErrorBeside(weak.Html, "NewPassword"));
        var mismatch = await person.SubmitAsync("/MyAccount", "/MyAccount", ("CurrentPassword", ConsoleAccounts.NewPassword), ("NewPassword", "Brand-New-Pass-123"), ("ConfirmPassword", "Brand-New-Pass-124"));
        Assert.NotEmpty(ConsoleAccounts.ErrorBeside(mismatch.Html, "ConfirmPassword"));

        var changed = await person.SubmitAsync("/MyAccount", "/MyAccount", ("CurrentPassword", ConsoleAccounts.NewPassword), ("NewPassword", "Brand-New-Pass-123"), ("ConfirmPassword", "Brand-New-Pass-123"));
        Assert.Equal("/MyAccount?done=password", changed.Location);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/MyAccount?done=password")).Status);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/Referrals")).Status);
        // The other device's session ended with the change.
        Assert.StartsWith("/Account/SignIn", (await otherDevice.FollowAsync("/Referrals")).PathAndQuery);

        using var fresh = console.NewClient();
        Assert.Contains("not right", (await fresh.SignInAsync("eve@psw-metro", ConsoleAccounts.NewPassword)).Html);
        Assert.Equal("/Referrals", (await fresh.SignInAsync("eve@psw-metro", "Brand-New-Pass-123")).PathAndQuery);
    }

    [Fact]
    public async Task TotpEnrolment_ThenSignInAsksForTheCode_RecoveryCodesWorkOnce_AndItCanBeTurnedOff()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        await ConsoleAccounts.CreateWithPasswordAsync(console, op, "fay@bh-riverside", "bh-riverside");
        using var person = console.NewClient();
        await person.SignInAsync("fay@bh-riverside", ConsoleAccounts.NewPassword);

        var setup = await person.GetAsync("/MyAccount/TwoFactor");
        Assert.Equal(HttpStatusCode.OK, setup.Status);
        var key = ConsoleAccounts.KeyIn(setup.Html);
        Assert.Contains("otpauth://totp/", setup.Html);
        Assert.Contains("<svg", setup.Html);
        Assert.DoesNotContain("style=", setup.Html);
        Assert.DoesNotContain("<script", setup.Html);
        // The same key until it is confirmed (a reload does not invalidate what the app has scanned).
        Assert.Equal(key, ConsoleAccounts.KeyIn((await person.GetAsync("/MyAccount/TwoFactor")).Html));

        var wrong = await person.SubmitAsync("/MyAccount/TwoFactor", "/MyAccount/TwoFactor?handler=Confirm", ("Code", "000000"));
        Assert.NotEmpty(ConsoleAccounts.ErrorBeside(wrong.Html, "Code"));
        var confirmed = await person.SubmitAsync("/MyAccount/TwoFactor", "/MyAccount/TwoFactor?handler=Confirm", ("Code", Totp.Code(key, DateTimeOffset.UtcNow)));
        var codes = ConsoleAccounts.RecoveryCodesIn(confirmed.Html);
        Assert.Equal(8, codes.Count);
        // Shown once: the page afterwards shows none.
        var after = await person.GetAsync("/MyAccount/TwoFactor");
        Assert.Empty(ConsoleAccounts.RecoveryCodesIn(after.Html));
        Assert.Contains("Turn off two-factor", after.Html);

        using var next = console.NewClient();
        var password = await next.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", "fay@bh-riverside"), ("Password", ConsoleAccounts.NewPassword));
        Assert.Equal("/Account/TwoFactor", password.Location);
        Assert.StartsWith("/Account/SignIn", (await next.FollowAsync("/Inbox")).PathAndQuery);
        Assert.Equal("/Inbox", (await next.SignInAsync("fay@bh-riverside", ConsoleAccounts.NewPassword, key)).PathAndQuery);

        using var lostPhone = console.NewClient();
        await lostPhone.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", "fay@bh-riverside"), ("Password", ConsoleAccounts.NewPassword));
        var recovered = await lostPhone.SubmitAsync("/Account/TwoFactor", "/Account/TwoFactor?handler=Recovery", ("RecoveryCode", codes[0]));
        Assert.Equal("/Inbox", (await lostPhone.FollowAsync(recovered)).PathAndQuery);
        using var reuse = console.NewClient();
        await reuse.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", "fay@bh-riverside"), ("Password", ConsoleAccounts.NewPassword));
        var spent = await reuse.SubmitAsync("/Account/TwoFactor", "/Account/TwoFactor?handler=Recovery", ("RecoveryCode", codes[0]));
        Assert.Contains("used already", ConsoleAccounts.ErrorBeside(spent.Html, "RecoveryCode"));

        // The person's session was renewed by each change and goes on; turning it off is theirs to do.
        var off = await person.SubmitAsync("/MyAccount/TwoFactor", "/MyAccount/TwoFactor?handler=Disable");
        Assert.Equal("/MyAccount/TwoFactor?done=off", off.Location);
        using var plain = console.NewClient();
        Assert.Equal("/Inbox", (await plain.SignInAsync("fay@bh-riverside", ConsoleAccounts.NewPassword)).PathAndQuery);
    }

    [Fact]
    public async Task NewOperatorWithoutTwoFactor_GetsNoSession_IsLedToEnrolment_ThenSignsInWithTheCode_AndCannotTurnItOff()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        await ConsoleAccounts.CreateWithPasswordAsync(console, op, "gil@gateway-operator", "gateway-operator");

        using var newOperator = console.NewClient();
        var enrol = await newOperator.FollowAsync(await newOperator.SignInAsync("gil@gateway-operator", ConsoleAccounts.NewPassword));
        Assert.Equal("/Account/EnrolTwoFactor", enrol.PathAndQuery.Split('?')[0]);
        Assert.Contains("must have two-factor", enrol.Html);
        Assert.DoesNotContain(newOperator.Cookies.GetAllCookies(), c => c.Name == "__Host-rx-session");
        var key = ConsoleAccounts.KeyIn(enrol.Html);

        // The enrolment cookie is no session: operator pages still send the person to sign in.
        using (var probe = console.NewClient())
        {
            Assert.StartsWith("/Account/SignIn", (await probe.FollowAsync("/Operator/Accounts")).PathAndQuery);
        }
        var wrongPassword = console.NewClient();
        Assert.DoesNotContain("EnrolTwoFactor", (await wrongPassword.SignInAsync("gil@gateway-operator", "Not-The-Password-1")).Location ?? "");
        wrongPassword.Dispose();

        var confirmed = await newOperator.SubmitAsync(enrol.PathAndQuery, enrol.PathAndQuery, ("Code", Totp.Code(key, DateTimeOffset.UtcNow)));
        Assert.Equal(8, ConsoleAccounts.RecoveryCodesIn(confirmed.Html).Count);
        Assert.Equal("/Operator/Partners", (await newOperator.FollowAsync("/")).PathAndQuery);
        var pages = await newOperator.GetAsync("/Operator/Accounts");
        Assert.Equal(HttpStatusCode.OK, pages.Status);
        Assert.Contains("gil@gateway-operator", pages.Html);

        var keep = await newOperator.SubmitAsync("/MyAccount/TwoFactor", "/MyAccount/TwoFactor?handler=Disable");
        Assert.Contains("must keep two-factor", keep.Html);
        Assert.DoesNotContain("Turn off two-factor", (await newOperator.GetAsync("/MyAccount/TwoFactor")).Html);
        Assert.True((await ConsoleAccounts.FindAsync(console, "gil@gateway-operator")).TwoFactorEnabled);

        using var later = console.NewClient();
        Assert.Equal("/Operator/Partners", (await later.SignInAsync("gil@gateway-operator", ConsoleAccounts.NewPassword, key)).PathAndQuery);

        // Lost phone and recovery codes: another operator resets the second factor; the next sign-in leads to enrolment again.
        Assert.Equal("/Operator/Accounts?done=two-factor-reset", (await ConsoleAccounts.ActAsync(console, op, "ResetTwoFactor", "gil@gateway-operator")).Location);
        Assert.StartsWith("/Account/SignIn", (await later.FollowAsync("/Operator/Partners")).PathAndQuery);
        using var again = console.NewClient();
        Assert.Contains("EnrolTwoFactor", (await again.SignInAsync("gil@gateway-operator", ConsoleAccounts.NewPassword)).Location);
    }

    [Fact]
    public async Task NonOperator_CannotOpenAccountManagement_NorPostToIt_WithOrWithoutAToken()
    {
        using var psw = console.NewClient();
        await psw.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var page = await psw.GetAsync("/Operator/Accounts");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        var denied = await psw.FollowAsync(page);
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Equal("/Account/Denied", denied.PathAndQuery.Split('?')[0]);
        Assert.Contains("Not allowed", denied.Html);

        var target = await ConsoleAccounts.IdAsync(console, ConsoleFixture.Housing);
        // With a valid antiforgery token of its own session (from a page it may open): authorization still refuses.
        var withToken = await psw.SubmitAsync("/MyAccount", $"/Operator/Accounts?handler=Disable&id={target}");
        Assert.StartsWith("/Account/Denied", new Uri(console.ConsoleAddress, withToken.Location!).PathAndQuery);
        var withoutToken = await psw.PostAsync($"/Operator/Accounts?handler=Create", [("NewUserName", "mallory@psw-metro"), ("NewDisplayName", "M"), ("NewPartner", "gateway-operator")]);
        Assert.NotEqual(HttpStatusCode.OK, withoutToken.Status);

        // And an operator's own post without the token is refused by antiforgery (CSRF).
        using var op = await ConsoleAccounts.OperatorAsync(console);
        var forged = await op.PostAsync($"/Operator/Accounts?handler=Disable&id={target}", []);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);

        Assert.Null(await ConsoleAccounts.FindOrNullAsync(console, "mallory@psw-metro"));
        using var housing = console.NewClient();
        Assert.Equal("/Inbox", (await housing.SignInAsync(ConsoleFixture.Housing, ConsoleFixture.Password)).PathAndQuery);
    }

    [Fact]
    public async Task OperatorAccountActions_AreAuditedAsTheOperator_WithoutPasswordOrLink()
    {
        using var op = await ConsoleAccounts.OperatorAsync(console);
        var (link, _) = await ConsoleAccounts.CreateAsync(op, "hal@va-central", "va-central");
        var firstReset = await ConsoleAccounts.ResetAsync(console, op, "hal@va-central");
        await ConsoleAccounts.ActAsync(console, op, "Disable", "hal@va-central");
        await ConsoleAccounts.ActAsync(console, op, "Enable", "hal@va-central");
        await ConsoleAccounts.ActAsync(console, op, "Unlock", "hal@va-central");
        await ConsoleAccounts.ActAsync(console, op, "ResetTwoFactor", "hal@va-central");
        using (var person = console.NewClient())
        {
            // Disabling changed the stamp: links issued before it are dead.
            Assert.Equal(HttpStatusCode.BadRequest, (await ConsoleAccounts.SetPasswordAsync(person, firstReset)).Status);
        }
        var reset = await ConsoleAccounts.ResetAsync(console, op, "hal@va-central");
        using (var person = console.NewClient())
        {
            Assert.Contains("id=\"password-set\"", (await ConsoleAccounts.SetPasswordAsync(person, reset)).Html);
        }

        using var scope = console.GatewayServices.CreateScope();
        var (_, page) = await scope.ServiceProvider.GetRequiredService<IAuditQuery>().ListAsync(null, null, [AuditActions.Update], true, null, 0, 500);
        var records = page.Select(p => p.Record).Where(r => r.Detail?.EndsWith(": hal@va-central", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, records.Count(r => r.Detail!.Contains("password reset", StringComparison.Ordinal)));
        foreach (var what in new[] { "console account created", "console account disabled", "console account re-enabled", "console account unlocked", "console account two-factor reset", "password reset" })
        {
            var record = records.First(r => r.Detail!.Contains(what, StringComparison.Ordinal));
            Assert.Equal(ConsoleFixture.Operator, record.SignedInUser);
            Assert.Equal("gateway-operator", record.PartnerId);
            Assert.Contains(record.Resources, r => r.Reference == "Organization/va-central");
            var audit = AuditEventMapper.ToAuditEvent(1, record, new AuditServer(AuditServer.DefaultDeviceId, "test", "https://localhost/fhir"));
            Assert.Equal(ConsoleFixture.Operator, Assert.Single(audit.Agent, a => a.Requestor == true).Who!.Identifier!.Value);
        }
        // The person's own step is audited as the person.
        Assert.Equal("hal@va-central", Assert.Single(records, r => r.Detail!.Contains("set through a one-time link", StringComparison.Ordinal)).SignedInUser);
        var secrets = new[] { SecretOf(link), SecretOf(firstReset), SecretOf(reset), ConsoleAccounts.NewPassword };
        Assert.DoesNotContain(records, r => secrets.Any(s => (r.Detail ?? "").Contains(s, StringComparison.Ordinal)));
        // Nor in any log line of either host.
        Assert.DoesNotContain(console.Logs.Lines, line => secrets.Any(s => line.Contains(s, StringComparison.Ordinal)));

        static string SecretOf(string url) => System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["link"]!;
    }
}
