using System.Net;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// Nobody without a certificate from a registered partner gets past the TLS handshake. A refused
/// handshake is not an HTTP status: the client sees the connection fail.
/// </summary>
public sealed class MutualTlsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Request_WithRegisteredPartnerCertificate_IsServed()
    {
        using var client = gateway.ClientFor(GatewayFixture.BehavioralHealth);

        var response = await client.GetAsync("/fhir/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("CapabilityStatement", (await response.JsonAsync())["resourceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Request_WithoutCertificate_IsRefusedInTheHandshake()
    {
        using var client = gateway.ClientWith(null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }

    [Fact]
    public async Task Request_WithCertificateFromAnotherCa_IsRefused()
    {
        using var rogueCa = DevCertificateAuthority.Create("Rogue CA", DateTimeOffset.UtcNow);
        // Same partner name, same shape: only the issuer differs.
        using var rogue = rogueCa.IssueClient(GatewayFixture.Psw, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var client = gateway.ClientWith(rogue);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }

    [Fact]
    public async Task Request_WithExpiredCertificate_IsRefused()
    {
        using var ca = gateway.Certificates.LoadCa();
        // Valid from the CA's own start until a few minutes ago.
        using var expired = ca.IssueClient(GatewayFixture.Psw, new DateTimeOffset(ca.Certificate.NotBefore.ToUniversalTime()), DateTimeOffset.UtcNow.AddMinutes(-5));
        using var client = gateway.ClientWith(expired);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }

    [Fact]
    public async Task Request_WithCertificateLackingClientAuthUsage_IsRefused()
    {
        using var ca = gateway.Certificates.LoadCa();
        using var serverOnly = ca.IssueClient(GatewayFixture.Psw, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30),
            [DevCertificateAuthority.ServerAuthOid]);
        using var client = gateway.ClientWith(serverOnly);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }

    [Fact]
    public async Task Request_WithCertificateWithoutAnyExtendedKeyUsage_IsRefused()
    {
        using var ca = gateway.Certificates.LoadCa();
        using var anyPurpose = ca.IssueClient(GatewayFixture.Psw, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), []);
        using var client = gateway.ClientWith(anyPurpose);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }

    [Fact]
    public async Task Request_WithValidButUnregisteredCertificate_IsRefused()
    {
        using var ca = gateway.Certificates.LoadCa();
        // Issued by the right CA for a real partner name, but never registered to any partner.
        using var unregistered = ca.IssueClient(GatewayFixture.Psw, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var client = gateway.ClientWith(unregistered);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/fhir/metadata"));
    }
}
