using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Witnessing;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// An Azure Blob container as witness: one blob per checkpoint, named by tree size, uploaded with
/// <c>If-None-Match: *</c> so an existing blob is never overwritten, whatever the account's policy.
/// In production the container carries a locked time-based immutability policy (WORM), so not even
/// the storage account's owner can change or delete an entry before it expires; the gateway needs
/// only create and read permissions on it, and the database's owner should hold none.
/// </summary>
public sealed class BlobWitness(BlobContainerClient container) : ICheckpointWitness
{
    // The URI without a SAS query string: names the witness without its credential.
    public string Name { get; } = new UriBuilder(container.Uri) { Query = string.Empty }.Uri.ToString();

    public async Task EnsureWritableAsync(CancellationToken ct)
    {
        // Nothing can be written to probe an immutable container without leaving it there forever:
        // the container must exist (or be creatable, as in Azurite) and answer; the first checkpoint
        // proves the write permission, and readiness reports it.
        try
        {
            if (!(await container.ExistsAsync(ct)).Value)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: ct);
            }
        }
        catch (RequestFailedException error)
        {
            throw new WitnessUnavailableException($"witness container {Name} cannot be reached or created: {error.Status} {error.ErrorCode}", error);
        }
    }

    public async Task<WitnessWrite> WriteAsync(SignedCheckpoint checkpoint, CancellationToken ct)
    {
        var blob = container.GetBlobClient(CheckpointFileName.For(checkpoint.Checkpoint.Size));
        try
        {
            await blob.UploadAsync(BinaryData.FromString(checkpoint.Text), new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain; charset=utf-8" },
            }, ct);
            return WitnessWrite.Written;
        }
        catch (RequestFailedException error) when (error.Status is 409 or 412)
        {
            // BlobAlreadyExists (409) or the If-None-Match precondition (412): someone filed this size first.
            return ExistingEntry.Compare(Name, checkpoint, await DownloadAsync(blob, ct));
        }
        catch (RequestFailedException error)
        {
            throw new WitnessUnavailableException($"witness container {Name}: {error.Status} {error.ErrorCode}", error);
        }
    }

    public async Task<IReadOnlyList<WitnessCopy>> ReadAllAsync(CancellationToken ct)
    {
        var copies = new List<WitnessCopy>();
        foreach (var size in await SizesAsync(ct))
        {
            copies.Add(new WitnessCopy(Name, size, await DownloadAsync(container.GetBlobClient(CheckpointFileName.For(size)), ct)));
        }
        return copies;
    }

    public async Task<WitnessCopy?> LatestAsync(CancellationToken ct)
    {
        var sizes = await SizesAsync(ct);
        return sizes.Count == 0 ? null : new WitnessCopy(Name, sizes[^1], await DownloadAsync(container.GetBlobClient(CheckpointFileName.For(sizes[^1])), ct));
    }

    private async Task<List<long>> SizesAsync(CancellationToken ct)
    {
        var sizes = new List<long>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(cancellationToken: ct))
            {
                if (CheckpointFileName.TryParse(item.Name, out var size))
                {
                    sizes.Add(size);
                }
            }
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return sizes;
        }
        catch (RequestFailedException error)
        {
            throw new WitnessUnavailableException($"witness container {Name} cannot be listed: {error.Status} {error.ErrorCode}", error);
        }
        sizes.Sort();
        return sizes;
    }

    private async Task<string> DownloadAsync(BlobClient blob, CancellationToken ct)
    {
        try
        {
            var content = (await blob.DownloadContentAsync(ct)).Value.Content.ToArray();
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
            }
            catch (DecoderFallbackException)
            {
                return string.Empty;
            }
        }
        catch (RequestFailedException error)
        {
            throw new WitnessUnavailableException($"witness container {Name}: reading {blob.Name} failed: {error.Status} {error.ErrorCode}", error);
        }
    }
}
