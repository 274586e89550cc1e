using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Gateway.Hosting;

/// <summary>The witness settings of the <c>Gateway:Audit</c> section (issue 12 §2, ADR 0013).</summary>
public sealed class WitnessOptions
{
    public const string Section = "Gateway:Audit";

    /// <summary>
    /// Where every signed checkpoint is filed (<c>Gateway:Audit:Witnesses:N:Type</c> = <c>Directory</c>
    /// with <c>Path</c>, or <c>AzureBlob</c> with <c>ConnectionString</c> + <c>Container</c> or
    /// <c>ContainerUri</c>). Empty: one directory witness, <c>audit-witness</c> beside the data directory.
    /// </summary>
    public List<WitnessSettings> Witnesses { get; set; } = [];

    /// <summary>How long a graceful stop may spend signing and witnessing the final checkpoint.</summary>
    public TimeSpan FinalCheckpointTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Where incremental verification keeps the checkpoint it last verified. Default: beside the first directory witness (<c>{Path}.verify-state.json</c>).</summary>
    public string? VerifyStatePath { get; set; }

    /// <summary>
    /// The share of one core the background re-check of the records before the witnessed tip may
    /// take (ADR 0026), in (0, 1]: lower leaves more to requests and takes longer to find an old edit.
    /// </summary>
    public double RecheckCpuShare { get; set; } = 0.5;
}
