using ReferralExchange.Core.Audit;
using ReferralExchange.Gateway.Security;

namespace ReferralExchange.Gateway.Endpoints;

/// <summary>
/// The Merkle log for partners acting as witnesses (ADR 0011): <c>GET /audit/checkpoint</c> (the
/// latest signed C2SP checkpoint, <c>text/plain</c>), <c>GET /audit/consistency?from=&amp;to=</c> and
/// <c>GET /audit/inclusion?record=</c> (RFC 9162 proofs, hashes in base64). Errors are the usual
/// OperationOutcomes, from <see cref="AuditProofService"/>'s typed exceptions.
/// </summary>
public static class AuditLogEndpoints
{
    public static void MapAuditLogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/audit");
        group.MapGet("/checkpoint", async (HttpContext context, AuditProofService proofs) =>
            Results.Text(await proofs.CheckpointAsync(context.RequestAborted), "text/plain; charset=utf-8"));
        group.MapGet("/consistency", async (HttpContext context, AuditProofService proofs, string? from, string? to) =>
        {
            var result = await proofs.ConsistencyAsync(from, to, context.RequestAborted);
            return Results.Json(new { from = result.From, to = result.To, proof = result.Proof.Select(Convert.ToBase64String) });
        });
        group.MapGet("/inclusion", async (HttpContext context, AuditProofService proofs, string? record) =>
        {
            var result = await proofs.InclusionAsync(context.Caller(), record, context.RequestAborted);
            return Results.Json(new
            {
                record = result.Record,
                leafIndex = result.LeafIndex,
                treeSize = result.TreeSize,
                leafHash = Convert.ToBase64String(result.LeafHash),
                proof = result.Proof.Select(Convert.ToBase64String),
                checkpoint = result.Checkpoint,
                canonicalRecord = result.CanonicalRecord is null ? null : Convert.ToBase64String(result.CanonicalRecord),
            });
        });
    }
}
