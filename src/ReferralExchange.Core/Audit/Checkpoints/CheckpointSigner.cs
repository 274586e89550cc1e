namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>
/// Signs tree heads as C2SP checkpoints with the audit key (<see cref="IKeySigner"/>: a local key
/// file or Azure Key Vault). The key name on the signature line is the origin, as tlog-checkpoint
/// recommends, so one line in a witness's configuration names both the log and its key.
/// </summary>
public sealed class CheckpointSigner(IKeySigner signer)
{
    /// <summary>The note key of the current signing key, for the given origin.</summary>
    public async Task<EcdsaNoteKey> KeyAsync(string origin, CancellationToken ct) =>
        new(origin, await signer.PublicKeyAsync(signer.KeyId, ct) ?? throw new InvalidOperationException($"the signer does not know its own key {signer.KeyId}"));

    /// <returns>The signed checkpoint and the id of the key (and version) that signed it.</returns>
    public async Task<(SignedCheckpoint Signed, string KeyId)> SignAsync(Checkpoint checkpoint, CancellationToken ct)
    {
        var keyId = signer.KeyId;
        var key = await KeyAsync(checkpoint.Origin, ct);
        var text = checkpoint.Body();
        var signature = EcdsaNoteKey.DerFromP1363(await signer.SignDigestAsync(EcdsaNoteKey.DigestOf(text), ct));
        var note = new SignedNote(text, [new NoteSignature(key.Name, key.KeyId, signature)]);
        return (new SignedCheckpoint(checkpoint, note), keyId);
    }
}
