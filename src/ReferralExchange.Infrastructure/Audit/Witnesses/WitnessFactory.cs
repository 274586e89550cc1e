using Azure.Core;
using Azure.Storage.Blobs;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>Builds the witnesses configuration names; used by the gateway and by <c>rx audit verify</c> alike.</summary>
public static class WitnessFactory
{
    /// <param name="setting">The configuration key of this entry, named in errors (e.g. <c>Gateway:Audit:Witnesses:0</c>).</param>
    /// <param name="resolvePath">Turns a configured relative path into an absolute one.</param>
    public static ICheckpointWitness Create(WitnessSettings settings, string setting, Func<string, string> resolvePath, Func<TokenCredential> credential)
    {
        if (string.Equals(settings.Type, WitnessSettings.DirectoryType, StringComparison.OrdinalIgnoreCase))
        {
            return new DirectoryWitness(resolvePath(settings.Path ?? throw new ArgumentException($"{setting}:Path is required for a Directory witness")));
        }
        if (string.Equals(settings.Type, WitnessSettings.AzureBlobType, StringComparison.OrdinalIgnoreCase))
        {
            return new BlobWitness(Container(settings, setting, credential));
        }
        throw new ArgumentException($"{setting}:Type '{settings.Type}' is not one of {WitnessSettings.DirectoryType}, {WitnessSettings.AzureBlobType}");
    }

    public static BlobContainerClient Container(WitnessSettings settings, string setting, Func<TokenCredential> credential)
    {
        // Few retries: a witness that does not answer makes the checkpoint unwitnessed for one round, and the next round tries again.
        var options = new BlobClientOptions { Retry = { MaxRetries = 2, NetworkTimeout = TimeSpan.FromSeconds(15) } };
        if (settings.ConnectionString is { Length: > 0 } connection)
        {
            return new BlobContainerClient(connection, settings.Container ?? throw new ArgumentException($"{setting}:Container is required with a ConnectionString"), options);
        }
        if (settings.ContainerUri is { Length: > 0 } uri)
        {
            var container = new Uri(uri);
            return container.Query.Contains("sig=", StringComparison.Ordinal)
                ? new BlobContainerClient(container, options)
                : new BlobContainerClient(container, credential(), options);
        }
        throw new ArgumentException($"{setting} (AzureBlob) needs ConnectionString and Container, or ContainerUri");
    }
}
