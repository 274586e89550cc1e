using ReferralExchange.Core.Audit;
using ReferralExchange.Infrastructure.Audit.Witnesses;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// Verifies the stored trail: in full, or incrementally from the latest signed checkpoint (whose
/// signature is checked, and whose head hash is then trusted as the starting point). With witnesses
/// configured, against them as well, and incrementally from the verifier's own state (<see cref="WitnessedVerification"/>).
/// </summary>
public sealed class AuditVerificationService(AuditLogReader reader, IKeySigner signer, WitnessedVerification? witnessed = null)
{
    public async Task<AuditVerificationReport> VerifyAsync(bool incremental, CancellationToken ct)
    {
        if (witnessed is not null)
        {
            return await witnessed.VerifyAsync(reader, incremental, ct);
        }
        var checkpoints = await reader.CheckpointsAsync(ct);
        var verifier = new AuditVerifier(signer);
        if (!incremental || checkpoints.Count == 0)
        {
            return await verifier.VerifyAsync(reader.ReadAsync(0, ct), checkpoints, ct: ct);
        }

        // From the latest checkpoint: its signature is verified, its record must still hash to the
        // signed head, and every record written since must chain from it. A full run covers
        // everything before it.
        // The stored tree before that record lets the root be recomputed from there; it is proven by
        // matching the signed root at the checkpoint.
        var latest = checkpoints[^1];
        ReferralExchange.Core.Audit.Merkle.CompactRange tree;
        try
        {
            tree = await reader.TreeAsync(latest.Sequence - 1, ct);
        }
        catch (ReferralExchange.Core.Audit.Merkle.MissingTreeNodeException e)
        {
            return AuditVerificationReport.Broken(0, 1, latest.Sequence, $"checkpoint at record {latest.Sequence}: {e.Message}");
        }
        return await verifier.VerifyAsync(reader.ReadAsync(latest.Sequence - 1, ct), [latest], latest.Sequence, null, ct, tree);
    }
}
