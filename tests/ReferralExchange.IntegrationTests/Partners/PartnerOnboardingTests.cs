using System.Net;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Cli;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Partners;

/// <summary><c>rx partner …</c> against a running gateway's database: every change holds from the partner's next request.</summary>
public sealed class PartnerOnboardingTests
{
    [Fact]
    public async Task AddAndIssueCertificate_NewPartnerIsServed()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        Assert.Equal(0, await RxAsync(gateway, "partner", "add", "--id", "bh-northside", "--name", "Northside Behavioral Health", "--kind", "behavioral-health"));
        Assert.Equal(0, await RxAsync(gateway, "partner", "issue-cert", "--id", "bh-northside"));

        using var client = gateway.ClientFor("bh-northside");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/Organization/bh-northside")).StatusCode);
    }

    [Fact]
    public async Task Suspend_IsRefusedOnTheVeryNextRequest_AndReinstateRestores()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        using var client = gateway.ClientFor(GatewayFixture.Housing);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/metadata")).StatusCode);

        Assert.Equal(0, await RxAsync(gateway, "partner", "suspend", "--id", GatewayFixture.Housing));
        var onOpenConnection = await client.GetAsync("/fhir/metadata");
        using var fresh = gateway.ClientFor(GatewayFixture.Housing);

        Assert.Equal(HttpStatusCode.Unauthorized, onOpenConnection.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/fhir/metadata"));

        Assert.Equal(0, await RxAsync(gateway, "partner", "reinstate", "--id", GatewayFixture.Housing));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/metadata")).StatusCode);
    }

    [Fact]
    public async Task Revoke_IsFinal()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        using var client = gateway.ClientFor(GatewayFixture.Veterans);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/metadata")).StatusCode);

        Assert.Equal(0, await RxAsync(gateway, "partner", "revoke", "--id", GatewayFixture.Veterans));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/fhir/metadata")).StatusCode);
        Assert.Equal(2, await RxAsync(gateway, "partner", "reinstate", "--id", GatewayFixture.Veterans));
    }

    [Fact]
    public async Task Rotation_WithOverlap_BothCertificatesWork_ThenWithoutOverlap_TheOldOneIsRefused()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        var old = gateway.Certificates.LoadClient(GatewayFixture.BehavioralHealth);
        using var oldClient = gateway.ClientWith(old);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/fhir/metadata")).StatusCode);

        Assert.Equal(0, await RxAsync(gateway, "partner", "issue-cert", "--id", GatewayFixture.BehavioralHealth, "--overlap-hours", "24"));
        using var newClient = gateway.ClientFor(GatewayFixture.BehavioralHealth);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/fhir/metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await oldClient.GetAsync("/fhir/metadata")).StatusCode);

        // The rotated-in certificate is now the current one; retiring the others at once shuts the old one out.
        using var current = X509CertificateLoader.LoadCertificateFromFile(gateway.Certificates.ClientCertificatePath(GatewayFixture.BehavioralHealth));
        var pem = Path.Combine(gateway.RootDirectory, "current.crt");
        await File.WriteAllTextAsync(pem, current.ExportCertificatePem());
        Assert.Equal(0, await RxAsync(gateway, "partner", "register-cert", "--id", GatewayFixture.BehavioralHealth, "--cert", pem, "--overlap-hours", "0"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await oldClient.GetAsync("/fhir/metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/fhir/metadata")).StatusCode);
    }

    [Fact]
    public async Task CertificateRevokedInTheCrl_IsRefusedOnTheNextRequestAndHandshake()
    {
        await using var gateway = await OwnedGateway.StartAsync();
        using var client = gateway.ClientFor(GatewayFixture.Psw);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/fhir/metadata")).StatusCode);

        Assert.Equal(0, await CliApp.RunAsync(["partner", "revoke-cert", "--id", GatewayFixture.Psw, "--certs", gateway.Certificates.Directory], new StringWriter()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/fhir/metadata")).StatusCode);
        using var fresh = gateway.ClientFor(GatewayFixture.Psw);
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync("/fhir/metadata"));
        using var other = gateway.ClientFor(GatewayFixture.Housing);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/fhir/metadata")).StatusCode);
    }

    [Fact]
    public void Crl_SignedByAnotherCa_IsNotBelieved()
    {
        using var rogue = ReferralExchange.Infrastructure.Certificates.DevCertificateAuthority.Create("Rogue", DateTimeOffset.UtcNow);
        using var real = ReferralExchange.Infrastructure.Certificates.DevCertificateAuthority.Create("Real", DateTimeOffset.UtcNow);
        using var victim = real.IssueClient("victim", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"rx-{Guid.NewGuid():N}.crl");
        rogue.Revoke(path, [victim], DateTimeOffset.UtcNow);

        Assert.Null(ReferralExchange.Infrastructure.Certificates.RevocationList.Parse(File.ReadAllBytes(path), [X509CertificateLoader.LoadCertificate(real.Certificate.RawData)]));
        Assert.NotNull(ReferralExchange.Infrastructure.Certificates.RevocationList.Parse(File.ReadAllBytes(path), [X509CertificateLoader.LoadCertificate(rogue.Certificate.RawData)]));
        File.Delete(path);
    }

    private static Task<int> RxAsync(GatewayFixture gateway, params string[] args) =>
        CliApp.RunAsync([.. args, "--database", gateway.DatabasePath, .. args.Contains("issue-cert") ? new[] { "--certs", gateway.Certificates.Directory } : []], new StringWriter());
}
