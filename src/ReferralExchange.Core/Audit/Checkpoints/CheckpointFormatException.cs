namespace ReferralExchange.Core.Audit.Checkpoints;

/// <summary>A text that is not a well-formed signed note or checkpoint (C2SP signed-note, tlog-checkpoint).</summary>
public sealed class CheckpointFormatException(string message) : FormatException(message);
