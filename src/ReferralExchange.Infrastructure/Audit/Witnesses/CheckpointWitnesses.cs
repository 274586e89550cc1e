namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>The configured witnesses, in configuration order (at least one: a checkpoint no witness holds protects nothing the database's owner cannot rewrite).</summary>
public sealed class CheckpointWitnesses(IReadOnlyList<ICheckpointWitness> all)
{
    public IReadOnlyList<ICheckpointWitness> All { get; } = all.Count > 0 ? all : throw new ArgumentException("at least one checkpoint witness is required", nameof(all));
}
