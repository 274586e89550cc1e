namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>The witness cannot be written or read now (permissions, disk, network): the checkpoint is not witnessed yet.</summary>
public sealed class WitnessUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The witness already holds a different checkpoint for this tree size: two logs claim one history.</summary>
public sealed class WitnessForkException(string message) : Exception(message);
