using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>
/// A note key of signature type 0x02 of c2sp.org/signed-note: "ECDSA signatures as implemented by
/// github.com/transparency-dev/witness", on NIST P-256 — the ES256 keys our signers already hold
/// (a local PEM file, an Azure Key Vault key). As that type prescribes, the key ID is the first four
/// bytes of SHA-256 over the DER SubjectPublicKeyInfo (not the name-prefixed form of Ed25519), and
/// the signature is ECDSA over SHA-256 of the note text, ASN.1 DER encoded (Go's
/// <c>ecdsa.SignASN1</c>, what that implementation uses).
/// </summary>
public sealed class EcdsaNoteKey
{
    public const byte SignatureType = 0x02;

    public EcdsaNoteKey(string name, byte[] subjectPublicKeyInfo)
    {
        if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.Contains('+'))
        {
            throw new ArgumentException("a note key name is non-empty, without spaces or '+'", nameof(name));
        }
        Name = name;
        SubjectPublicKeyInfo = subjectPublicKeyInfo;
        KeyId = KeyIdOf(subjectPublicKeyInfo);
    }

    public string Name { get; }
    public byte[] SubjectPublicKeyInfo { get; }
    public uint KeyId { get; }

    public static uint KeyIdOf(byte[] subjectPublicKeyInfo) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(subjectPublicKeyInfo));

    /// <summary>A key from a PEM public key (<c>-----BEGIN PUBLIC KEY-----</c>) or a private key PEM, whose public half is taken.</summary>
    public static EcdsaNoteKey FromPem(string name, string pem)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return new EcdsaNoteKey(name, key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public key as PEM, to hand to partners who witness the log.</summary>
    public string ToPem() => PemEncoding.WriteString("PUBLIC KEY", SubjectPublicKeyInfo);

    /// <summary>The digest a note signature covers: SHA-256 of the note text, final newline included.</summary>
    public static byte[] DigestOf(string noteText) => SHA256.HashData(Encoding.UTF8.GetBytes(noteText));

    /// <summary>
    /// signed-note "Signatures": the signatures whose name and key ID are this key's must all verify,
    /// and at least one must be there; signatures of other keys are ignored.
    /// </summary>
    public bool Verifies(SignedNote note)
    {
        var ours = note.Signatures.Where(s => s.KeyName == Name && s.KeyId == KeyId).ToList();
        if (ours.Count == 0)
        {
            return false;
        }
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        var digest = DigestOf(note.Text);
        return ours.All(s => key.VerifyHash(digest, s.Signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>A fixed-field r||s signature (IEEE P1363, what Key Vault and our signers return) as the DER the note carries.</summary>
    public static byte[] DerFromP1363(ReadOnlySpan<byte> signature)
    {
        if (signature.Length == 0 || signature.Length % 2 != 0)
        {
            throw new ArgumentException("an IEEE P1363 signature is r and s of equal length", nameof(signature));
        }
        var half = signature.Length / 2;
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(signature[..half]));
            writer.WriteIntegerUnsigned(Minimal(signature[half..]));
        }
        return writer.Encode();
    }

    // DER integers carry no redundant leading zero bytes; P1363 fields are fixed-width.
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }
        return value[start..];
    }
}
