using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using ReferralExchange.Core.Audit.Checkpoints;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// A signed checkpoint counts as published only once every witness holds it (issue 12 §2). A
/// witness that fails leaves it unwitnessed: one log line, readiness reports the witness, and the
/// next round files it again (a retry of a checkpoint a witness already holds is harmless). A
/// witness holding a different checkpoint for the size is a fork, and the guard stops signing.
/// </summary>
public sealed class WitnessPublisher(CheckpointWitnesses witnesses, AuditIntegrityGuard guard, ILogger<WitnessPublisher> logger)
{
    private readonly ConcurrentDictionary<string, string> _failing = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SignedCheckpoint? _pending;

    /// <summary>Witnesses whose last write failed, with why.</summary>
    public IReadOnlyDictionary<string, string> Failing => _failing;

    /// <summary>A signed checkpoint not yet held by every witness.</summary>
    public SignedCheckpoint? Pending => _pending;

    /// <returns>True once every witness holds the checkpoint.</returns>
    public async Task<bool> PublishAsync(SignedCheckpoint checkpoint, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            var failures = new List<string>();
            foreach (var witness in witnesses.All)
            {
                try
                {
                    await witness.WriteAsync(checkpoint, ct);
                    _failing.TryRemove(witness.Name, out _);
                }
                catch (WitnessForkException fork)
                {
                    guard.Compromise(fork.Message);
                    failures.Add(fork.Message);
                    _failing[witness.Name] = fork.Message;
                }
                catch (WitnessUnavailableException error)
                {
                    failures.Add(error.Message);
                    _failing[witness.Name] = error.Message;
                }
            }
            if (failures.Count == 0)
            {
                // A larger checkpoint supersedes an older unwitnessed one: witnesses need the latest, not every size.
                if (_pending is null || _pending.Checkpoint.Size <= checkpoint.Checkpoint.Size)
                {
                    _pending = null;
                }
                return true;
            }
            _pending = checkpoint;
            logger.LogWarning("Audit checkpoint of size {Size} is not witnessed yet ({Failures}); retrying next round", checkpoint.Checkpoint.Size, string.Join("; ", failures));
            return false;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Files the last unwitnessed checkpoint again, if there is one and the trail is still trusted.</summary>
    public async Task<bool> RetryPendingAsync(CancellationToken ct) =>
        _pending is not { } pending || guard.IsCompromised || await PublishAsync(pending, ct);
}
