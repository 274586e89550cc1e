using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Data.Sqlite;
using ReferralExchange.ConsoleTests.Infrastructure;

namespace ReferralExchange.ConsoleTests;

/// <summary>
/// ADR 0024: what one console process made (session and antiforgery cookies, authorization codes,
/// the OpenID Connect client's state) is accepted by the next one on the same data: the people's
/// OpenIddict keys are files, the Data Protection key ring lives in the accounts database,
/// encrypted with a certificate. Real hosts on Kestrel with TLS, a real SQLite accounts file.
/// </summary>
public sealed class ConsoleRestartTests : IAsyncLifetime
{
    private const string CertificatePassword = "dp-test-password";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rx-console-restart-" + Guid.NewGuid().ToString("N")[..12]);

    private string Certificates => Path.Combine(_root, "certs");
    private string DataProtectionCertificate => Path.Combine(_root, "data-protection.pfx");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rx console data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(DataProtectionCertificate, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SessionAndFormToken_FromBeforeARestart_AreAcceptedAfterIt()
    {
        var first = await StartAsync(port: 0);
        var port = first.ConsoleAddress.Port;
        using var browser = first.NewClient(Certificates);
        Assert.Equal("/Referrals", (await browser.SignInAsync(ConsoleFixture.Psw, ConsoleFixture.Password)).PathAndQuery);
        var form = await browser.GetAsync("/Referrals/New");
        await first.DisposeAsync();

        await using var second = await StartAsync(port);
        var list = await browser.GetAsync("/Referrals");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        // The antiforgery token (and its cookie) of a page the first process served.
        var created = await browser.PostAsync("/Referrals/New", [.. ConsoleReferrals.Form(), ("__rx_af", form.Token)]);
        Assert.Equal(HttpStatusCode.Redirect, created.Status);
        Assert.StartsWith("/Referrals/", created.Location);
    }

    [Fact]
    public async Task SignInBegunBeforeARestart_CompletesAfterIt_WithTheFirstProcesssCodeAndState()
    {
        var first = await StartAsync(port: 0);
        var port = first.ConsoleAddress.Port;
        using var browser = first.NewClient(Certificates);
        var page = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("UserName", ConsoleFixture.BehavioralHealth), ("Password", ConsoleFixture.Password));
        // Through the authorization request, to the redirect that carries the code and the client's state back.
        for (var hop = 0; hop < 10 && page.Status == HttpStatusCode.Redirect && !page.Location!.Contains("/callback/login/local", StringComparison.Ordinal); hop++)
        {
            page = await browser.GetAsync(page.Location);
        }
        Assert.Contains("code=", page.Location);
        Assert.Contains("state=", page.Location);
        await first.DisposeAsync();

        await using var second = await StartAsync(port);
        var signedIn = await browser.FollowAsync(page);
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
        Assert.Equal("/Inbox", signedIn.PathAndQuery);
    }

    [Fact]
    public async Task AccountsFile_IsMigrated_AndHoldsTheDataProtectionKeysEncryptedWithTheCertificate()
    {
        await using (await StartAsync(port: 0))
        {
        }
        await using var accounts = new SqliteConnection($"Data Source={Path.Combine(_root, "data", "console-accounts.db")};Pooling=False");
        await accounts.OpenAsync();
        Assert.Equal(["InitialAccounts"], await ColumnAsync(accounts, "SELECT MigrationId FROM __EFMigrationsHistory", id => id[(id.IndexOf('_') + 1)..]));
        var keys = await ColumnAsync(accounts, "SELECT Xml FROM DataProtectionKeys", xml => xml);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedXmlDecryptor", xml);
            Assert.DoesNotContain("<value>", xml);
        });
        // Development: the people's OpenIddict keys were made under the data directory, owner-only.
        foreach (var file in new[] { "console-signing.key", "console-encryption.key" })
        {
            var path = Path.Combine(_root, "data", file);
            Assert.True(File.Exists(path), file);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    private Task<ConsoleInstance> StartAsync(int port) => ConsoleInstance.StartAsync(ConsoleFixture.HostArgs(_root,
        $"--Console:Port={port}",
        $"--Console:DataProtection:CertificatePath={DataProtectionCertificate}",
        $"--Console:DataProtection:CertificatePassword={CertificatePassword}"));

    private static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql, Func<string, string> map)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(map(reader.GetString(0)));
        return values;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }
}
