using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// What a witness does when the entry for a size is already there. ECDSA signatures are randomised,
/// so a retry or a second gateway instance signing the same tree head writes other bytes: the same
/// checkpoint text is the same statement (signed-note: the signatures cover the text), anything else
/// is a second history for that size.
/// </summary>
internal static class ExistingEntry
{
    public static WitnessWrite Compare(string witness, SignedCheckpoint ours, string existing)
    {
        Checkpoint held;
        try
        {
            held = SignedCheckpoint.Parse(existing).Checkpoint;
        }
        catch (CheckpointFormatException error)
        {
            // A torn or foreign entry: nothing to compare with, and it must not be replaced either.
            throw new WitnessUnavailableException($"witness {witness} holds an unreadable entry for size {ours.Checkpoint.Size} ({error.Message})");
        }
        return held.Body() == ours.Checkpoint.Body()
            ? WitnessWrite.AlreadyHeld
            : throw new WitnessForkException($"witness {witness} already holds a different checkpoint for size {ours.Checkpoint.Size}");
    }
}
