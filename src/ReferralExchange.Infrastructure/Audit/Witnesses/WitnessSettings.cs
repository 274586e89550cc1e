namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// One entry of <c>Gateway:Audit:Witnesses</c>: <c>Type</c> <c>Directory</c> with <c>Path</c>, or
/// <c>AzureBlob</c> with either <c>ConnectionString</c> and <c>Container</c>, or <c>ContainerUri</c>
/// (a SAS URI, or a plain URI reached with the managed identity).
/// </summary>
public sealed class WitnessSettings
{
    public const string DirectoryType = "Directory";
    public const string AzureBlobType = "AzureBlob";

    public string Type { get; set; } = DirectoryType;
    public string? Path { get; set; }
    public string? ConnectionString { get; set; }
    public string? Container { get; set; }
    public string? ContainerUri { get; set; }
}
