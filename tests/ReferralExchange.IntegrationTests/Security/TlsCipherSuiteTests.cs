using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ReferralExchange.Infrastructure.Certificates;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Security;

/// <summary>
/// The gateway speaks TLS 1.2 only with ECDHE and an AEAD cipher (RFC 9325 §4.2), and TLS 1.3.
/// A client that offers nothing but CBC suites (LUCKY13-prone, "obsolete" in testssl) gets no
/// handshake. Each test is a raw SslStream client presenting a registered partner certificate, so
/// the cipher suite is the only thing that can make the handshake fail.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TlsCipherSuiteTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Handshake_Tls12ClientOfferingOnlyCbcSuites_IsRefused()
    {
        var cbcOnly = new CipherSuitesPolicy(
        [
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
            TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
            TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
        ]);

        var refusal = await Record.ExceptionAsync(() => HandshakeAsync(SslProtocols.Tls12, cbcOnly));

        Assert.True(refusal is AuthenticationException or IOException, $"expected a refused handshake, got {refusal?.GetType().Name ?? "a session"}");
    }

    [Fact]
    public async Task Handshake_Tls12ClientOfferingAeadEcdheSuite_Succeeds()
    {
        var aead = new CipherSuitesPolicy([TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]);

        var negotiated = await HandshakeAsync(SslProtocols.Tls12, aead);

        Assert.Equal((SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256), negotiated);
    }

    [Fact]
    public async Task Handshake_Tls13Client_Succeeds()
    {
        var negotiated = await HandshakeAsync(SslProtocols.Tls13, null);

        Assert.Equal(SslProtocols.Tls13, negotiated.Protocol);
    }

    [Fact]
    public async Task Handshake_Tls11Client_IsRefused()
    {
#pragma warning disable SYSLIB0039 // TLS 1.1 on purpose: the attacker's offer.
        var refusal = await Record.ExceptionAsync(() => HandshakeAsync(SslProtocols.Tls11, null));
#pragma warning restore SYSLIB0039

        Assert.True(refusal is AuthenticationException or IOException or PlatformNotSupportedException, $"expected a refused handshake, got {refusal?.GetType().Name ?? "a session"}");
    }

    private async Task<(SslProtocols Protocol, TlsCipherSuite Suite)> HandshakeAsync(SslProtocols protocols, CipherSuitesPolicy? suites)
    {
        using var certificate = gateway.Certificates.LoadClient(GatewayFixture.Housing);
        var ca = gateway.Certificates.LoadCaPublic();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway.BaseAddress.Host, gateway.BaseAddress.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = suites,
            ClientCertificates = [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = (_, server, _, _) => CustomRootValidation.ChainsTo(server, [ca]),
        });
        // TLS 1.3 (and a refused client certificate) can surface only on the first read or write.
        await tls.WriteAsync("GET /fhir/metadata HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        var buffer = new byte[1];
        var read = await tls.ReadAsync(buffer);
        if (read == 0)
        {
            throw new IOException("The server closed the connection after the handshake");
        }
        return (tls.SslProtocol, tls.NegotiatedCipherSuite);
    }
}
