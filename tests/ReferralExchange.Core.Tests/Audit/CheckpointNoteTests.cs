using System.Security.Cryptography;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>The C2SP tlog-checkpoint note: its exact text, its round trip, and its ECDSA (type 0x02) signature check.</summary>
public sealed class CheckpointNoteTests
{
    private const string Origin = "rx.example.org/audit";
    private static readonly byte[] SomeRoot = MerkleHash.Leaf([1, 2, 3]);

    [Fact]
    public void Body_IsOriginSizeAndBase64Root_EachOnItsLine()
    {
        var body = new Checkpoint(Origin, 20852163, SomeRoot).Body();

        Assert.Equal($"rx.example.org/audit\n20852163\n{Convert.ToBase64String(SomeRoot)}\n", body);
    }

    [Fact]
    public void ParseBody_PublishedExample_ReadsSizeAndRoot()
    {
        // The example of c2sp.org/tlog-checkpoint.
        var checkpoint = Checkpoint.ParseBody("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163, checkpoint.Size);
        Assert.Equal("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", Convert.ToBase64String(checkpoint.RootHash));
    }

    [Theory]
    [InlineData("example.com/log\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("example.com/log\n12\nnot base64\n")]
    [InlineData("example.com/log\n12\nAAAA\n")]
    [InlineData("example.com/log\n12\n")]
    [InlineData("example.com/log\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("example com/log\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    public void ParseBody_Malformed_IsRefused(string text)
    {
        Assert.Throws<CheckpointFormatException>(() => Checkpoint.ParseBody(text));
    }

    [Fact]
    public void SignedNote_PublishedExample_ParsesAndFormatsBackToTheSameText()
    {
        // The example of c2sp.org/signed-note: a text with an empty line inside, one Ed25519 signature.
        const string note = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

        var parsed = SignedNote.Parse(note);

        Assert.Equal("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n", parsed.Text);
        var signature = Assert.Single(parsed.Signatures);
        Assert.Equal("quasimodo.example/salvatore", signature.KeyName);
        Assert.Equal(64, signature.Signature.Length);
        Assert.Equal(note, parsed.Format());
    }

    [Fact]
    public async Task Sign_ThenParse_VerifiesWithTheSignersPublicKey()
    {
        using var signer = new TestSigner();
        var (signed, keyId) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(Origin, 42, SomeRoot), CancellationToken.None);

        var parsed = SignedCheckpoint.Parse(signed.Text);
        var key = new EcdsaNoteKey(Origin, signer.PublicKey);

        Assert.Equal(signer.KeyId, keyId);
        Assert.True(parsed.VerifiedBy(key));
        Assert.Equal(42, parsed.Checkpoint.Size);
        Assert.Equal(SomeRoot, parsed.Checkpoint.RootHash);
        Assert.StartsWith($"{Origin}\n42\n{Convert.ToBase64String(SomeRoot)}\n\n— {Origin} ", signed.Text);
        // signed-note type 0x02: the key ID is the first four bytes of SHA-256 over the SPKI.
        Assert.Equal(Convert.ToHexString(SHA256.HashData(signer.PublicKey))[..8], parsed.Note.Signatures[0].KeyId.ToString("X8"));
    }

    [Fact]
    public async Task Verify_AlteredSizeOrRoot_Fails()
    {
        using var signer = new TestSigner();
        var (signed, _) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(Origin, 42, SomeRoot), CancellationToken.None);
        var key = new EcdsaNoteKey(Origin, signer.PublicKey);

        var biggerTree = SignedCheckpoint.Parse(signed.Text.Replace("\n42\n", "\n43\n"));
        var otherRoot = SignedCheckpoint.Parse(signed.Text.Replace(Convert.ToBase64String(SomeRoot), Convert.ToBase64String(MerkleHash.Empty())));

        Assert.False(biggerTree.VerifiedBy(key));
        Assert.False(otherRoot.VerifiedBy(key));
    }

    [Fact]
    public async Task Verify_AnotherKeyOrName_Fails()
    {
        using var signer = new TestSigner();
        using var stranger = new TestSigner();
        var (signed, _) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(Origin, 7, SomeRoot), CancellationToken.None);
        var parsed = SignedCheckpoint.Parse(signed.Text);

        Assert.False(parsed.VerifiedBy(new EcdsaNoteKey(Origin, stranger.PublicKey)));
        Assert.False(parsed.VerifiedBy(new EcdsaNoteKey("elsewhere.example/audit", signer.PublicKey)));
    }

    [Fact]
    public async Task Verify_UnknownExtraSignature_IsIgnored()
    {
        using var signer = new TestSigner();
        var (signed, _) = await new CheckpointSigner(signer).SignAsync(new Checkpoint(Origin, 7, SomeRoot), CancellationToken.None);
        var cosigned = signed.Note with { Signatures = [.. signed.Note.Signatures, new NoteSignature("witness.example", 0x01020304, [9, 9, 9])] };

        Assert.True(SignedCheckpoint.Parse(cosigned.Format()).VerifiedBy(new EcdsaNoteKey(Origin, signer.PublicKey)));
    }

    [Fact]
    public void Pem_RoundTrip_KeepsTheKeyId()
    {
        using var signer = new TestSigner();
        var key = new EcdsaNoteKey(Origin, signer.PublicKey);

        Assert.Equal(key.KeyId, EcdsaNoteKey.FromPem(Origin, key.ToPem()).KeyId);
    }

    /// <summary>An ES256 signer as the gateway's (IEEE P1363 signatures over a SHA-256 digest).</summary>
    internal sealed class TestSigner : IKeySigner, IDisposable
    {
        private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public string KeyId => "test";
        public byte[] PublicKey => _key.ExportSubjectPublicKeyInfo();

        public Task<byte[]> SignDigestAsync(byte[] digest, CancellationToken ct) =>
            Task.FromResult(_key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        public Task<byte[]?> PublicKeyAsync(string keyId, CancellationToken ct) => Task.FromResult<byte[]?>(keyId == KeyId ? PublicKey : null);

        public Task<bool> VerifyDigestAsync(string keyId, byte[] digest, byte[] signature, CancellationToken ct) =>
            Task.FromResult(_key.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        public void Dispose() => _key.Dispose();
    }
}
