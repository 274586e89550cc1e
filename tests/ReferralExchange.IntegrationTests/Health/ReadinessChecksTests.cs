using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReferralExchange.Core.Audit;
using ReferralExchange.Gateway.Health;
using ReferralExchange.Gateway.Hosting;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Health;

/// <summary>Issue 13 §5: readiness names the certificates' expiry and the audit signer.</summary>
public sealed class ReadinessChecksTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Ready_OnAFreshGateway_ReportsCertificatesAndSignerHealthy()
    {
        using var probe = HealthProbe.For(gateway);

        var ready = await probe.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.JsonAsync())["checks"]!;
        Assert.Equal("Healthy", checks["certificates"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", checks["audit-signer"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CertificateCheck_TenDaysBeforeACertificateExpires_IsDegraded()
    {
        var certificates = gateway.Services.GetRequiredService<GatewayCertificates>();
        var first = new[] { certificates.Server, certificates.OutboundClient! }.Min(c => c.NotAfter.ToUniversalTime());
        var check = new CertificateExpiryHealthCheck(certificates, new FixedTime(first.AddDays(-10)));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("certificate expires within 14 days", result.Description);
    }

    [Fact]
    public async Task CertificateCheck_AfterTheServerCertificateExpired_IsUnhealthy()
    {
        var certificates = gateway.Services.GetRequiredService<GatewayCertificates>();
        var check = new CertificateExpiryHealthCheck(certificates, new FixedTime(certificates.Server.NotAfter.ToUniversalTime().AddDays(1)));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public async Task SignerCheck_WhenTheSignerFails_IsDegradedWithoutItsMessage_AndProbesOnceAMinute()
    {
        var signer = new FailingSigner();
        var check = new AuditSignerHealthCheck(signer, TimeProvider.System);

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        var second = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, first.Status);
        Assert.DoesNotContain(FailingSigner.Message, first.Description);
        Assert.Same(first.Description, second.Description);
        Assert.Equal(1, signer.Calls);
    }

    private sealed class FixedTime(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }

    private sealed class FailingSigner : IKeySigner
    {
        public const string Message = "vault https://kv.example/keys/audit refused: secret detail";
        public int Calls { get; private set; }
        public string KeyId => "test";

        public Task<byte[]> SignDigestAsync(byte[] sha256Digest, CancellationToken cancellationToken = default)
        {
            Calls++;
            throw new HttpRequestException(Message);
        }

        public Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken cancellationToken = default) => Task.FromResult<byte[]?>(null);

        public Task<bool> VerifyDigestAsync(string keyId, byte[] sha256Digest, byte[] signature, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }
}
