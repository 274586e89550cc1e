namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>
/// A checkpoint together with the note that signs it: what the gateway stores, serves at
/// <c>GET /audit/checkpoint</c> and hands to witnesses. <see cref="Text"/> is the exact signed note;
/// compare and store that, never a re-formatting.
/// </summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, SignedNote Note)
{
    public string Text => Note.Format();

    /// <summary>Reads a signed checkpoint; its signatures are not checked here (see <see cref="VerifiedBy"/>).</summary>
    public static SignedCheckpoint Parse(string note)
    {
        var parsed = SignedNote.Parse(note);
        return new SignedCheckpoint(Checkpoint.ParseBody(parsed.Text), parsed);
    }

    /// <summary>Whether <paramref name="key"/> signed this checkpoint. A note's text must be ignored unless this holds (signed-note).</summary>
    public bool VerifiedBy(EcdsaNoteKey key) => key.Verifies(Note);

    public override string ToString() => Text;
}
