using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.ConsoleTests.Infrastructure;
using ReferralExchange.WebConsole.Accounts;

namespace ReferralExchange.ConsoleTests;

/// <summary>Sign-in with Identity: hashed passwords, lockout, the operator's required second factor.</summary>
public sealed class ConsoleSignInTests(ConsoleFixture console) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task Operator_WithPasswordAndTotp_ReachesOperatorPages()
    {
        using var client = console.NewClient();
        var afterPassword = await client.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", ConsoleFixture.Operator), ("Password", ConsoleFixture.Password));
        Assert.Equal("/Account/TwoFactor", afterPassword.Location);
        // The password alone gives no session: the authorization request sends the person back to sign in.
        Assert.StartsWith("/Account/SignIn", (await client.FollowAsync("/Operator/Partners")).PathAndQuery);
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "__Host-rx-session");

        var verified = await client.SubmitAsync("/Account/TwoFactor", "/Account/TwoFactor", ("Code", Totp.Code(ConsoleFixture.OperatorKey, DateTimeOffset.UtcNow)));
        Assert.Equal("/", verified.Location);
        Assert.Equal("/Operator/Partners", (await client.FollowAsync(verified)).PathAndQuery);
        var partners = await client.GetAsync("/Operator/Partners");
        Assert.Equal(HttpStatusCode.OK, partners.Status);
        Assert.Contains("bh-riverside", partners.Html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Operator/Audit")).Status);
        Assert.Contains("Intact", (await client.GetAsync("/Operator/Audit")).Html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Operator/Outcomes")).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Operator/Notifications")).Status);
    }

    [Fact]
    public async Task Operator_WithoutTwoFactor_CannotSignIn()
    {
        using (var scope = console.ConsoleServices.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>();
            var created = await users.CreateAsync(new ConsoleUser { UserName = "no2fa@gateway-operator", PartnerId = "gateway-operator", DisplayName = "New Operator" }, ConsoleFixture.Password);
            Assert.True(created.Succeeded);
        }
        using var client = console.NewClient();
        // The right password leads only to setting up an authenticator (ConsoleAccountTests), never to a session.
        var refused = await client.FollowAsync(await client.SignInAsync("no2fa@gateway-operator", ConsoleFixture.Password));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("/Account/EnrolTwoFactor", refused.PathAndQuery.Split('?')[0]);
        Assert.Contains("must have two-factor", refused.Html);
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "__Host-rx-session");
        Assert.StartsWith("/Account/SignIn", (await client.FollowAsync("/Operator/Partners")).PathAndQuery);
    }

    [Fact]
    public async Task SignIn_IsAnAuthorizationCodeExchangeWithPkce()
    {
        using var client = console.NewClient();
        var authorize = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, authorize.Status);
        var request = new Uri(new Uri(console.ConsoleAddress, "/"), authorize.Location!);
        Assert.Equal("/connect/authorize", request.AbsolutePath);
        var query = System.Web.HttpUtility.ParseQueryString(request.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.Equal("rx-console", query["client_id"]);

        // A code request without PKCE is refused by the server: the console's client must use it.
        var noPkce = await client.GetAsync($"/connect/authorize?client_id=rx-console&response_type=code&scope=openid&redirect_uri={Uri.EscapeDataString(query["redirect_uri"]!)}");
        Assert.Contains("code_challenge", WebUtility.UrlDecode(noPkce.Location ?? noPkce.Html));
    }

    [Fact]
    public async Task Account_AfterFiveWrongPasswords_IsLockedEvenForTheRightOne()
    {
        using var client = console.NewClient();
        for (var i = 0; i < 5; i++)
        {
            await client.SignInAsync("worker@va-central", "not-the-password-" + i);
        }
        var locked = await client.SignInAsync("worker@va-central", ConsoleFixture.Password);
        Assert.Equal(HttpStatusCode.OK, locked.Status);
        Assert.Contains("locked", locked.Html);
    }

    [Fact]
    public async Task Password_IsStoredOnlyAsIdentityHash()
    {
        using var scope = console.ConsoleServices.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ConsoleUser>>().FindByNameAsync(ConsoleFixture.Psw);
        Assert.NotNull(user?.PasswordHash);
        Assert.DoesNotContain(ConsoleFixture.Password, user!.PasswordHash!);
    }

    [Fact]
    public async Task Pages_CarryStrictCspNoStoreAndSecureCookies()
    {
        using var client = console.NewClient();
        var page = await client.GetAsync("/Account/SignIn");
        var headers = page.Response.Headers;
        Assert.Contains("default-src 'none'", headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("unsafe-inline", headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", headers.CacheControl!.ToString());
        var setCookie = string.Join("\n", headers.GetValues("Set-Cookie"));
        Assert.Contains("__Host-rx-af", setCookie);
        Assert.Contains("secure", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", page.Html, StringComparison.OrdinalIgnoreCase);

        await client.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password);
        var session = Assert.Single(client.Cookies.GetAllCookies(), c => c.Name == "__Host-rx-session");
        Assert.True(session.Secure && session.HttpOnly);
    }

    [Fact]
    public async Task ConsolePort_PresentsServerTlsWithoutAskingForAClientCertificate_AndTheApiStillRequiresOne()
    {
        using var client = console.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/SignIn")).Status);
        // The API port is mutual TLS only: the same browser-like client (no certificate) is refused in the handshake.
        using var noCertificate = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { BaseAddress = console.ApiAddress };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => noCertificate.GetAsync("/fhir/metadata"));
    }
}
