using System.Buffers.Binary;
using System.Text;

namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>One signature line of a signed note: <c>— name base64(key ID || signature)</c>.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);

/// <summary>
/// A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one or
/// more signature lines. Only the format lives here; what a signature means is the key's business
/// (<see cref="EcdsaNoteKey"/>). Verifiers must ignore signatures of keys they do not know, so
/// parsing keeps every line it can read.
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Verifiers must accept at least 16 signatures; more is refused as abuse.</summary>
    public const int MaxSignatures = 100;

    public string Format()
    {
        var note = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            var blob = new byte[4 + signature.Signature.Length];
            BinaryPrimitives.WriteUInt32BigEndian(blob, signature.KeyId);
            signature.Signature.CopyTo(blob, 4);
            note.Append(SignaturePrefix).Append(signature.KeyName).Append(' ').Append(Convert.ToBase64String(blob)).Append('\n');
        }
        return note.ToString();
    }

    public static SignedNote Parse(string note)
    {
        // Valid UTF-8 is the caller's decoding; control characters other than newline are refused here.
        if (note.Any(c => c < 0x20 && c != '\n'))
        {
            throw new CheckpointFormatException("a signed note must not contain control characters other than newline");
        }
        // The text is separated from the signatures by the last empty line.
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0 || !note.EndsWith('\n'))
        {
            throw new CheckpointFormatException("a signed note is a text, a blank line and signature lines, each ending in a newline");
        }
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..^1].Split('\n');
        if (lines.Length == 0 || lines.Length > MaxSignatures || lines[0].Length == 0)
        {
            throw new CheckpointFormatException("a signed note needs between 1 and 100 signature lines");
        }
        return new SignedNote(text, lines.Select(ParseSignature).ToList());
    }

    private static NoteSignature ParseSignature(string line)
    {
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            throw new CheckpointFormatException("a signature line starts with an em dash and a space");
        }
        var parts = line[SignaturePrefix.Length..].Split(' ');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[0].Contains('+'))
        {
            throw new CheckpointFormatException("a signature line is a key name (no spaces or '+') and a base64 signature");
        }
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new CheckpointFormatException("a signature is not base64");
        }
        if (blob.Length <= 4)
        {
            throw new CheckpointFormatException("a signature holds a 4-byte key ID and the signature bytes");
        }
        return new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]);
    }
}
