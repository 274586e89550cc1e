using System.Text.Json;
using System.Text.Json.Serialization;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// What an incremental verifier keeps of its last successful run, outside the database (issue 12
/// §4): the size and root of the latest checkpoint it verified, the chain hash of that record, and
/// the tree's frontier (at most 63 hashes) so the next run grows the same tree from there without
/// re-reading earlier records. The database cannot move this starting point; whoever can write
/// this file can, so keep it with the verifier (next to the witness by default).
/// </summary>
public sealed record VerifiedTreeState(long Size, byte[] Root, string ChainHead, TreeFrontier Frontier)
{
    private const int FormatVersion = 1;

    /// <summary>Reads the state; null if there is no file. Throws <see cref="InvalidDataException"/> if it is unreadable or inconsistent.</summary>
    public static VerifiedTreeState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var file = JsonSerializer.Deserialize<StateFile>(File.ReadAllBytes(path)) ?? throw new InvalidDataException("empty");
            if (file.Version != FormatVersion)
            {
                throw new InvalidDataException($"format version {file.Version}");
            }
            var frontier = new TreeFrontier(file.Size, file.Frontier.Select(n => (new TreeNode(n.Level, n.Index), Convert.FromBase64String(n.Hash))).ToList());
            var root = Convert.FromBase64String(file.Root);
            // The frontier must fold to the root recorded beside it, or the file was damaged or edited.
            if (file.Size <= 0 || !frontier.ToCompactRange().Root().AsSpan().SequenceEqual(root))
            {
                throw new InvalidDataException("its frontier does not fold to its root");
            }
            return new VerifiedTreeState(file.Size, root, file.ChainHead, frontier);
        }
        catch (Exception error) when (error is JsonException or FormatException or MissingTreeNodeException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"the verification state {path} is unreadable ({error.Message})", error);
        }
    }

    /// <summary>Replaces the state atomically (write a sibling, flush, rename), so a crash leaves the old or the new one.</summary>
    public void Save(string path)
    {
        var file = new StateFile
        {
            Version = FormatVersion,
            Size = Size,
            Root = Convert.ToBase64String(Root),
            ChainHead = ChainHead,
            Frontier = Frontier.Nodes.Select(n => new NodeEntry { Level = n.Node.Level, Index = n.Node.Index, Hash = Convert.ToBase64String(n.Hash) }).ToList(),
            VerifiedAt = DateTimeOffset.UtcNow,
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, file, new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, full, overwrite: true);
    }

    private sealed class StateFile
    {
        [JsonPropertyName("version")] public int Version { get; set; }
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("root")] public string Root { get; set; } = "";
        [JsonPropertyName("chainHead")] public string ChainHead { get; set; } = "";
        [JsonPropertyName("frontier")] public List<NodeEntry> Frontier { get; set; } = [];
        [JsonPropertyName("verifiedAt")] public DateTimeOffset VerifiedAt { get; set; }
    }

    private sealed class NodeEntry
    {
        [JsonPropertyName("level")] public int Level { get; set; }
        [JsonPropertyName("index")] public long Index { get; set; }
        [JsonPropertyName("hash")] public string Hash { get; set; } = "";
    }
}
