using System.Globalization;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Core.Errors;
using ReferralExchange.Core.Partners;
using ReferralExchange.Core.Storage;

namespace ReferralExchange.Core.Audit;

/// <summary>
/// What partners (as witnesses) and people (through their referral source) can check without
/// trusting the operator (ADR 0011): the latest signed checkpoint, consistency proofs between signed
/// sizes, and inclusion proofs for records the caller may see. Proofs hold hashes only, so fetching
/// them is not itself audited (a witness polls; its polls would only grow the log it watches).
/// </summary>
public sealed class AuditProofService(IAuditLogTree tree, IAuditQuery query, IResourceStore store)
{
    public async Task<string> CheckpointAsync(CancellationToken ct) =>
        (await tree.LatestCheckpointAsync(ct))?.Note ?? throw new GatewayException(ErrorKind.NotFound, "not-found", "No checkpoint has been signed yet");

    /// <summary>A proof that the signed tree of <paramref name="from"/> records is a prefix of the signed tree of <paramref name="to"/>.</summary>
    public async Task<ConsistencyProofResult> ConsistencyAsync(string? from, string? to, CancellationToken ct)
    {
        var oldSize = Size(from, "from");
        var newSize = Size(to, "to");
        var latest = await tree.LatestCheckpointAsync(ct);
        if (oldSize < 1 || oldSize > newSize)
        {
            throw GatewayException.BadRequest("from must be at least 1 and at most to", "from");
        }
        if (latest is null || newSize > latest.Value.TreeSize)
        {
            throw GatewayException.BadRequest($"to must not exceed the latest signed tree size ({latest?.TreeSize ?? 0})", "to");
        }
        return new ConsistencyProofResult(oldSize, newSize, await MerkleProofs.ConsistencyAsync(oldSize, newSize, tree, ct));
    }

    /// <summary>
    /// An inclusion proof for record <paramref name="record"/> under the latest checkpoint. Only for a
    /// record the caller may see (its own actions; for the referral's source, the disclosures of its
    /// referral's person, as in the accounting of disclosures); any other answers exactly as a record
    /// that does not exist.
    /// </summary>
    public async Task<InclusionProofResult> InclusionAsync(Caller caller, string? record, CancellationToken ct)
    {
        if (!long.TryParse(record, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            throw GatewayException.BadRequest("record must be an audit record's sequence number", "record");
        }
        if (await query.FindAsync(sequence, ct) is not { } found || !await MayProveAsync(caller, found.Record, ct))
        {
            throw GatewayException.NotFound("AuditEvent", record!);
        }
        var latest = await tree.LatestCheckpointAsync(ct);
        if (latest is null || latest.Value.TreeSize < sequence)
        {
            // Said only to a caller who may see the record: no existence leaks.
            throw new GatewayException(ErrorKind.Conflict, "conflict", "The record is not yet covered by a signed checkpoint; ask again after the next one", "record");
        }
        var leafIndex = sequence - 1;
        var nodes = await tree.GetAsync([new TreeNode(0, leafIndex)], ct);
        var proof = await MerkleProofs.InclusionAsync(leafIndex, latest.Value.TreeSize, tree, ct);
        var canonical = found.Record.Outcome == AuditOutcome.Success ? await tree.CanonicalRecordAsync(sequence, ct) : null;
        return new InclusionProofResult(sequence, leafIndex, latest.Value.TreeSize,
            nodes.TryGetValue(new TreeNode(0, leafIndex), out var leaf) ? leaf : throw new MissingTreeNodeException(new TreeNode(0, leafIndex)),
            proof, latest.Value.Note, canonical);
    }

    private async Task<bool> MayProveAsync(Caller caller, AuditRecord record, CancellationToken ct)
    {
        if (caller.Partner.Kind == PartnerKind.Operator || record.PartnerId == caller.Partner.Id)
        {
            return true;
        }
        // The accounting-of-disclosures rule: a successful disclosure of the person of a referral this partner sent.
        if (record.PatientId is null || record.Outcome != AuditOutcome.Success || !AuditEventService.DisclosingActions.Contains(record.Action))
        {
            return false;
        }
        var patient = await store.ReadAsync("Patient", record.PatientId, ct);
        var access = patient?.ReferralKey is null ? null : await store.GetAccessAsync(patient.ReferralKey, ct);
        return access is not null && access.RequesterId == caller.Partner.Id;
    }

    private static long Size(string? value, string name) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? size
            : throw GatewayException.BadRequest($"{name} must be a tree size (a non-negative integer)", name);
}
