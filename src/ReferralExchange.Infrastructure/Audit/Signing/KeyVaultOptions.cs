namespace ReferralExchange.Infrastructure.Audit.Signing;

/// <summary>Where the audit checkpoint key lives in Azure Key Vault (section <c>Gateway:Audit:KeyVault</c>).</summary>
public sealed class KeyVaultOptions
{
    public Uri? VaultUri { get; set; }
    public string KeyName { get; set; } = "audit-checkpoints";
    /// <summary>Pin a key version; empty means "the current version", looked up at start.</summary>
    public string? KeyVersion { get; set; }
    public int MaxRetries { get; set; } = 4;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
