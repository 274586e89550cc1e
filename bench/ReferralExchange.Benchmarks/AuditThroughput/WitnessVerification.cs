using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Infrastructure.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;
using ReferralExchange.Infrastructure.Persistence;

namespace ReferralExchange.Benchmarks.AuditThroughput;

/// <summary>
/// Verification against witness copies (issue 12 points 4 and 7): the checkpoints the run signed are
/// filed with a directory witness, then the trail is verified the way <c>rx audit verify</c> does with
/// a witness (<see cref="WitnessedVerification"/>: every witnessed root recomputed, sizes and roots
/// compared with the database's rows), in full, and incrementally from the verifier's own state
/// file (written by the full run, outside the database).
/// </summary>
public sealed class WitnessVerification(string root, IKeySigner signer)
{
    private readonly string _witness = Path.Combine(root, "audit-witness");
    private string StatePath => _witness + ".verify-state.json";

    /// <summary>Files every signed checkpoint of the database with the directory witness; returns how many.</summary>
    public async Task<int> FileCheckpointsAsync(GatewayDbContext db, CancellationToken ct)
    {
        var witness = new DirectoryWitness(_witness);
        await witness.EnsureWritableAsync(ct);
        var filed = 0;
        foreach (var note in await db.AuditCheckpoints.AsNoTracking().Where(c => c.Note != null).OrderBy(c => c.Sequence).Select(c => c.Note!).ToListAsync(ct))
        {
            await witness.WriteAsync(SignedCheckpoint.Parse(note), ct);
            filed++;
        }
        return filed;
    }

    /// <summary>One verification against the witness; the full run (re)writes the verifier's state, the incremental one starts from it.</summary>
    public async Task<(double PerSecond, AuditVerificationReport Report)> VerifyAsync(GatewayDbContext db, bool incremental, CancellationToken ct)
    {
        if (!incremental)
        {
            File.Delete(StatePath);
        }
        var verification = new WitnessedVerification(signer, new CheckpointWitnesses([new DirectoryWitness(_witness)]), StatePath);
        var watch = Stopwatch.StartNew();
        var report = await new AuditVerificationService(new AuditLogReader(db), signer, verification).VerifyAsync(incremental, ct);
        return (report.RecordsChecked / watch.Elapsed.TotalSeconds, report);
    }
}
