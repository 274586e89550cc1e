using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ReferralExchange.Core.Audit;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>The gateway signing its audit checkpoints with Key Vault (WireMock.Net over HTTPS).</summary>
public sealed class KeyVaultCheckpointTests(KeyVaultCheckpointTests.KeyVaultGateway gateway) : IClassFixture<KeyVaultCheckpointTests.KeyVaultGateway>
{
    [Fact]
    public async Task Checkpoint_SignedByKeyVault_VerifiesIntact()
    {
        await gateway.GenerateTrafficAsync(2);

        await gateway.CheckpointAsync();
        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["isIntact"]!.GetValue<bool>());
        Assert.True(report["checkpointsChecked"]!.GetValue<int>() >= 1);
        Assert.StartsWith(gateway.Vault.Server.Url!, new AuditTampering(gateway).Scalar<string>("SELECT \"KeyId\" FROM \"AuditCheckpoints\" ORDER BY \"Sequence\" DESC LIMIT 1"));
    }

    [Fact]
    public async Task Checkpoint_WhileKeyVaultIsDown_Answers503AndKeepsTheTrail()
    {
        await gateway.GenerateTrafficAsync(1);
        foreach (var _ in Enumerable.Range(0, 20)) gateway.Vault.SignFailures.Enqueue(503);
        using var operatorClient = gateway.ClientFor(GatewayFixture.Operator);

        var response = await operatorClient.PostAsync("/operator/audit/checkpoints", null);
        gateway.Vault.SignFailures.Clear();
        var (status, _) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("unavailable", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, status);
    }

    public sealed class KeyVaultGateway : GatewayFixture
    {
        public KeyVaultStandIn Vault { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            var signer = Vault.CreateSigner(maxRetries: 2);
            signer.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
            services.AddSingleton<IKeySigner>(signer);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Vault.Dispose();
        }
    }
}
