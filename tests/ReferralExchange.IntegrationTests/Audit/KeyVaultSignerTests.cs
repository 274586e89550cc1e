using System.Security.Cryptography;
using ReferralExchange.Infrastructure.Audit.Signing;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The Key Vault checkpoint signer against WireMock.Net playing Key Vault over HTTPS.</summary>
public sealed class KeyVaultSignerTests : IDisposable
{
    private readonly KeyVaultStandIn _vault = new();
    private static readonly byte[] Digest = SHA256.HashData("head"u8);

    [Fact]
    public async Task Sign_ThenVerifyWithThePublicKey_RoundTrips()
    {
        var signer = _vault.CreateSigner();
        await signer.InitializeAsync(default);

        var signature = await signer.SignDigestAsync(Digest, default);

        Assert.Equal(_vault.KeyId, signer.KeyId);
        Assert.True(await signer.VerifyDigestAsync(signer.KeyId, Digest, signature, default));
        Assert.False(await signer.VerifyDigestAsync(signer.KeyId, SHA256.HashData("other"u8), signature, default));
    }

    [Fact]
    public async Task Sign_WhenThrottledWith429_RetriesAndSucceeds()
    {
        var signer = _vault.CreateSigner();
        await signer.InitializeAsync(default);
        _vault.SignFailures.Enqueue(429);

        var signature = await signer.SignDigestAsync(Digest, default);

        Assert.True(await signer.VerifyDigestAsync(signer.KeyId, Digest, signature, default));
        Assert.Equal(2, _vault.SignCalls);
    }

    [Fact]
    public async Task Sign_When503ThreeTimes_RetriesAndSucceeds()
    {
        var signer = _vault.CreateSigner(maxRetries: 3);
        await signer.InitializeAsync(default);
        foreach (var _ in Enumerable.Range(0, 3)) _vault.SignFailures.Enqueue(503);

        var signature = await signer.SignDigestAsync(Digest, default);

        Assert.True(await signer.VerifyDigestAsync(signer.KeyId, Digest, signature, default));
        Assert.Equal(4, _vault.SignCalls);
    }

    [Fact]
    public async Task Sign_WhenUnavailableBeyondRetries_ThrowsAClearError()
    {
        var signer = _vault.CreateSigner(maxRetries: 2);
        await signer.InitializeAsync(default);
        foreach (var _ in Enumerable.Range(0, 10)) _vault.SignFailures.Enqueue(503);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => signer.SignDigestAsync(Digest, default));

        Assert.Equal(503, error.Status);
        Assert.Contains("unavailable", error.Message);
        Assert.Equal(3, _vault.SignCalls);
    }

    [Fact]
    public async Task Sign_WhenCredentialRefused_ThrowsWithoutRetrying()
    {
        var signer = _vault.CreateSigner();
        await signer.InitializeAsync(default);
        _vault.SignFailures.Enqueue(401);

        var error = await Assert.ThrowsAsync<KeyVaultException>(() => signer.SignDigestAsync(Digest, default));

        Assert.Equal(401, error.Status);
        Assert.Contains("credential", error.Message);
        Assert.Equal(1, _vault.SignCalls);
    }

    [Fact]
    public async Task Verify_SignatureFromAnotherVault_IsRefused()
    {
        var signer = _vault.CreateSigner();
        await signer.InitializeAsync(default);
        var signature = await signer.SignDigestAsync(Digest, default);

        Assert.False(await signer.VerifyDigestAsync("https://elsewhere.vault.azure.net/keys/x/1", Digest, signature, default));
    }

    public void Dispose() => _vault.Dispose();
}
