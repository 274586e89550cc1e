using System.Globalization;
using System.Text;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>
/// A tree head as the body of a C2SP tlog-checkpoint note: the log's origin, the tree size (the
/// number of audit records, so record <c>n</c> is leaf <c>n - 1</c>) and the RFC 9162 root hash.
/// <code>
/// rx.example.org/audit
/// 1234
/// base64(root)
/// </code>
/// We write no extension lines (tlog-checkpoint: NOT RECOMMENDED, monitors cannot audit them);
/// parsing tolerates them and keeps them, since they are part of the signed text.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] RootHash)
{
    public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary>The note text: every line ends in a newline, the last one included (signed-note "Format").</summary>
    public string Body()
    {
        var text = new StringBuilder();
        text.Append(Origin).Append('\n');
        text.Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (var extension in Extensions)
        {
            text.Append(extension).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads a note text (tlog-checkpoint "Note text"); throws <see cref="CheckpointFormatException"/> on anything else.</summary>
    public static Checkpoint ParseBody(string text)
    {
        if (!text.EndsWith('\n'))
        {
            throw new CheckpointFormatException("a checkpoint's text must end in a newline");
        }
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0))
        {
            throw new CheckpointFormatException("a checkpoint has at least three non-empty lines: origin, tree size, root hash");
        }
        if (lines[0].Any(char.IsWhiteSpace) || lines[0].Contains('+'))
        {
            throw new CheckpointFormatException("the origin line must not contain spaces or '+'");
        }
        // Decimal, no sign, no leading zeroes unless the tree is empty.
        if (!lines[1].All(char.IsAsciiDigit) || (lines[1].Length > 1 && lines[1][0] == '0')
            || !long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new CheckpointFormatException($"'{lines[1]}' is not a tree size");
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new CheckpointFormatException("the root hash line is not base64");
        }
        if (root.Length != MerkleHash.Size || Convert.ToBase64String(root) != lines[2])
        {
            throw new CheckpointFormatException("the root hash line is not the base64 of a SHA-256 hash");
        }
        return new Checkpoint(lines[0], size, root) { Extensions = lines[3..] };
    }
}
