using System.Data.Common;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Witnessing;

namespace ReferralExchange.Infrastructure.Audit.Witnesses;

/// <summary>
/// Verification against the witnesses (issue 12 §4), in the same pass as the chain check: every
/// witnessed checkpoint must be in the database, the records must hash to every witnessed root,
/// and the trail must be at least as long as the largest witnessed tree. Incremental runs start
/// from the checkpoint this verifier itself last verified (<see cref="VerifiedTreeState"/>), never
/// from the database's latest checkpoint, which whoever can write the database can choose. Every
/// failure (an unreadable witness, record or state file included) is a BROKEN report, not an exception.
/// </summary>
public sealed class WitnessedVerification(IKeySigner signer, CheckpointWitnesses witnesses, string? statePath)
{
    private const int ProblemsNamed = 5;

    public string? StatePath => statePath;

    public async Task<AuditVerificationReport> VerifyAsync(AuditLogReader reader, bool incremental, CancellationToken ct)
    {
        try
        {
            return await RunAsync(reader, incremental, ct);
        }
        catch (WitnessUnavailableException error)
        {
            return AuditVerificationReport.Broken(0, 0, 0, $"the trail cannot be compared with its witness: {error.Message}");
        }
        catch (InvalidDataException error)
        {
            return AuditVerificationReport.Broken(0, 0, 0, error.Message);
        }
        catch (Exception error) when (error is InvalidCastException or FormatException or InvalidOperationException or NullReferenceException or DbException)
        {
            return AuditVerificationReport.Broken(0, 0, 0, $"an audit record or checkpoint cannot be read ({error.GetType().Name}): a column was re-typed or emptied");
        }
    }

    private async Task<AuditVerificationReport> RunAsync(AuditLogReader reader, bool incremental, CancellationToken ct)
    {
        var publicKey = await signer.PublicKeyAsync(signer.KeyId, ct) ?? throw new InvalidDataException($"the signer does not know its own key {signer.KeyId}");
        var copies = new List<WitnessCopy>();
        foreach (var witness in witnesses.All)
        {
            copies.AddRange(await witness.ReadAllAsync(ct));
        }
        var witnessed = new WitnessedCheckpointSet(copies, publicKey);
        var checkpoints = await reader.CheckpointsAsync(ct);
        var start = incremental && statePath is not null ? VerifiedTreeState.Load(statePath) : null;

        var checkpointSizes = witnessed.BySize.Keys.Concat(checkpoints.Select(c => c.Sequence)).ToHashSet();
        var pass = new VerificationPass(start, witnessed.Roots, checkpointSizes, size => witnessed.BySize[size].Witness);
        var entries = pass.Observe(reader.ReadAsync(start is null ? 0 : start.Size - 1, ct), ct);
        var chain = start is null
            ? await new AuditVerifier(signer).VerifyAsync(entries, checkpoints, ct: ct)
            : await new AuditVerifier(signer).VerifyAsync(entries, checkpoints.Where(c => c.Sequence >= start.Size).ToList(), start.Size, null, ct,
                start.Frontier.ToCompactRange());

        var problems = new List<TrailProblem>(witnessed.Problems);
        // A row's own note gives its root (so a different root for a witnessed size is caught on the
        // row itself); rows from before the Merkle tree sign the chain head only: size compared, root recomputed.
        var databaseRoots = checkpoints.GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => RootOf(g.Last()));
        var comparison = WitnessComparison.Compare(witnessed, databaseRoots, pass.TrailLength);
        // A broken chain stops the pass early, so the trail's length is unknown: keep only what does not depend on it.
        problems.AddRange(chain.IsIntact ? comparison : comparison.Where(p => !p.Reason.Contains("records were removed", StringComparison.Ordinal)));
        if (!chain.IsIntact)
        {
            problems.Add(new TrailProblem(chain.FirstBrokenSequence ?? 0, chain.Reason ?? "broken"));
        }
        problems.AddRange(pass.Problems);
        if (start is not null)
        {
            problems.AddRange(StartProblems(start, witnessed, pass.TrailLength, chain.IsIntact));
        }

        if (problems.Count == 0)
        {
            if (statePath is not null && pass.Snapshot is { } snapshot)
            {
                snapshot.Save(statePath);
            }
            return chain;
        }
        var ordered = problems.OrderBy(p => p.Record).ToList();
        var reason = ordered[0].Reason + (ordered.Count == 1 ? string.Empty
            : $" (and {ordered.Count - 1} more: {string.Join("; ", ordered.Skip(1).Take(ProblemsNamed).Select(p => p.Reason))})");
        return AuditVerificationReport.Broken(chain.RecordsChecked, chain.CheckpointsChecked, ordered[0].Record, reason);
    }

    private static IEnumerable<TrailProblem> StartProblems(VerifiedTreeState start, WitnessedCheckpointSet witnessed, long trailLength, bool chainIntact)
    {
        if (chainIntact && trailLength < start.Size)
        {
            yield return new TrailProblem(trailLength + 1, $"the trail ends at record {trailLength} but this verifier verified a tree of size {start.Size} on its last run: records were removed");
        }
        if (witnessed.BySize.TryGetValue(start.Size, out var held) && !held.Checkpoint.Checkpoint.RootHash.AsSpan().SequenceEqual(start.Root))
        {
            yield return new TrailProblem(start.Size, $"witness {held.Witness} holds another root for size {start.Size} than the one this verifier verified: the log forked");
        }
    }

    private static byte[]? RootOf(AuditCheckpoint checkpoint)
    {
        if (checkpoint.Note is null) return null;
        try
        {
            return SignedCheckpoint.Parse(checkpoint.Note).Checkpoint.RootHash;
        }
        catch (CheckpointFormatException)
        {
            // A note that does not parse is reported by the chain verifier, which checks every note.
            return null;
        }
    }
}
