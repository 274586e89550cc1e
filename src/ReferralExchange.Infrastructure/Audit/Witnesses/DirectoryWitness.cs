using System.Text;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Witnessing;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// An append-only directory: one file per checkpoint, named by tree size, created with
/// <see cref="FileMode.CreateNew"/> so an entry is never overwritten, and flushed to disk (the file,
/// then the directory entry) before the write counts. In development it lives beside the data
/// directory, not in it; where the OS allows, make it append-only for the gateway's user
/// (<c>chattr +a</c>) or mount it from a host the database's owner does not control.
/// </summary>
public sealed class DirectoryWitness(string directory) : ICheckpointWitness
{
    public string Name { get; } = Path.GetFullPath(directory);

    public Task EnsureWritableAsync(CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(Name);
            // A probe under a name that is never a checkpoint's. Deleting it may be refused by an
            // append-only directory; that is the point of one, so a leftover probe is harmless.
            var probe = Path.Combine(Name, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.WriteByte(0);
                stream.Flush(flushToDisk: true);
            }
            try { File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new WitnessUnavailableException($"witness directory {Name} is not writable: {error.Message}", error);
        }
        return Task.CompletedTask;
    }

    public async Task<WitnessWrite> WriteAsync(SignedCheckpoint checkpoint, CancellationToken ct)
    {
        var path = Path.Combine(Name, CheckpointFileName.For(checkpoint.Checkpoint.Size));
        var bytes = Encoding.UTF8.GetBytes(checkpoint.Text);
        try
        {
            Directory.CreateDirectory(Name);
            await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await stream.WriteAsync(bytes, ct);
                stream.Flush(flushToDisk: true);
            }
            DirectorySync.Flush(Name);
            return WitnessWrite.Written;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ExistingEntry.Compare(Name, checkpoint, await File.ReadAllTextAsync(path, Encoding.UTF8, ct));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new WitnessUnavailableException($"witness directory {Name}: {error.Message}", error);
        }
    }

    public async Task<IReadOnlyList<WitnessCopy>> ReadAllAsync(CancellationToken ct)
    {
        var copies = new List<WitnessCopy>();
        foreach (var (size, path) in Entries())
        {
            copies.Add(new WitnessCopy(Name, size, await ReadAsync(path, ct)));
        }
        return copies;
    }

    public async Task<WitnessCopy?> LatestAsync(CancellationToken ct)
    {
        var latest = Entries().LastOrDefault();
        return latest.Path is null ? null : new WitnessCopy(Name, latest.Size, await ReadAsync(latest.Path, ct));
    }

    private List<(long Size, string Path)> Entries()
    {
        try
        {
            if (!Directory.Exists(Name))
            {
                return [];
            }
            return Directory.EnumerateFiles(Name)
                .Select(path => (Ok: CheckpointFileName.TryParse(Path.GetFileName(path), out var size), Size: size, Path: path))
                .Where(e => e.Ok)
                .OrderBy(e => e.Size)
                .Select(e => (e.Size, e.Path))
                .ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new WitnessUnavailableException($"witness directory {Name} cannot be listed: {error.Message}", error);
        }
    }

    private async Task<string> ReadAsync(string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await File.ReadAllTextAsync(path, new UTF8Encoding(false, throwOnInvalidBytes: true), ct);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-8: hand on something that will not parse as a note, so it is reported, not thrown.
                return string.Empty;
            }
            catch (IOException) when (attempt < ReadAttempts && File.Exists(path))
            {
                // An entry still being written (FileShare.None until flushed) by this or another
                // replica: on Unix .NET enforces that with a lock, so a verification running beside a
                // checkpoint saw "being used by another process". It takes milliseconds: wait for it.
                await Task.Delay(ReadRetryDelay, ct);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new WitnessUnavailableException($"witness directory {Name}: {error.Message}", error);
            }
        }
    }

    private const int ReadAttempts = 40;
    private static readonly TimeSpan ReadRetryDelay = TimeSpan.FromMilliseconds(50);
}
