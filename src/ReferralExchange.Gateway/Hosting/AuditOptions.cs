using ReferralExchange.Infrastructure.Audit.Signing;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>The <c>Gateway:Audit</c> section: how checkpoints are signed and how often.</summary>
public sealed class AuditOptions
{
    public const string Section = "Gateway:Audit";

    /// <summary><c>local</c> (a key file, development) or <c>keyvault</c> (Azure Key Vault, production).</summary>
    public string Signer { get; set; } = "local";
    public string LocalKeyPath { get; set; } = "certs-dev/audit-signing.key";
    /// <summary>Sign the chain head after this many new records…</summary>
    public int CheckpointEveryRecords { get; set; } = 1000;
    /// <summary>…or after this long, whichever comes first (if anything new was written).</summary>
    public TimeSpan CheckpointEvery { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan CheckpointPollInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long a replica that signed a checkpoint keeps the signer lease (ADR 0020): the other
    /// replicas sign nothing meanwhile, and take over this long after a holder died.
    /// </summary>
    public TimeSpan CheckpointSignerLease { get; set; } = TimeSpan.FromMinutes(1);
    public KeyVaultOptions KeyVault { get; set; } = new();
    /// <summary>The checkpoints' origin line and note key name (ADR 0011); default: the public base URL without scheme, then <c>/audit</c>.</summary>
    public string? CheckpointOrigin { get; set; }
}
