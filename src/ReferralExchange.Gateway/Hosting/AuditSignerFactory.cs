using Azure.Identity;
using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit.Signing;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>Creates the checkpoint signer the configuration names.</summary>
public static class AuditSignerFactory
{
    public static async Task<IKeySigner> CreateAsync(AuditOptions options, GatewayPaths paths, CancellationToken ct)
    {
        switch (options.Signer)
        {
            case "local":
                return LocalKeySigner.LoadOrCreate(paths.Resolve(options.LocalKeyPath));
            case "keyvault":
                if (options.KeyVault.VaultUri is null)
                {
                    throw new InvalidOperationException("Gateway:Audit:KeyVault:VaultUri is required when Gateway:Audit:Signer is keyvault");
                }
                // Managed identity in Azure, developer credentials elsewhere.
                var signer = new KeyVaultSigner(options.KeyVault, new DefaultAzureCredential());
                await signer.InitializeAsync(ct);
                return signer;
            default:
                throw new InvalidOperationException($"Gateway:Audit:Signer '{options.Signer}' is not one of local, keyvault");
        }
    }
}
