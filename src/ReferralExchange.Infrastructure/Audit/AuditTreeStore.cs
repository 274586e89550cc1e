using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ReferralExchange.Core.Audit.Merkle;
using ReferralExchange.Infrastructure.Persistence;
using ReferralExchange.Infrastructure.Persistence.RawSql;
using ReferralExchange.Infrastructure.Persistence.Rows;

namespace ReferralExchange.Infrastructure.Audit;

/// <summary>
/// The stored Merkle tree of the audit log (ADR 0011): reads complete subtrees by key, inside the
/// caller's transaction when there is one (appends read the frontier they extend), and resumes the
/// compact range at a given size. Everything reads O(log n) rows; nothing rehashes the log.
/// </summary>
public sealed class AuditTreeStore(GatewayDbContext db) : ITreeNodeSource
{
    // Two parameters per node; SQL Server allows 2,100 per command.
    private const int NodesPerQuery = Persistence.RawSql.AuditSql.MaxTreeNodesPerStatement;

    public async Task<IReadOnlyDictionary<TreeNode, byte[]>> GetAsync(IReadOnlyCollection<TreeNode> nodes, CancellationToken ct)
    {
        var found = new Dictionary<TreeNode, byte[]>(nodes.Count);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }
        try
        {
            foreach (var chunk in nodes.Chunk(NodesPerQuery))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                for (var i = 0; i < chunk.Length; i++)
                {
                    command.AddNamed($"@l{i}", chunk[i].Level);
                    command.AddNamed($"@i{i}", chunk[i].Index);
                }
                command.CommandText = Persistence.RawSql.AuditSql.SelectTreeNodes(chunk.Length);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    found[new TreeNode(reader.GetInt32(0), reader.GetInt64(1))] = (byte[])reader.GetValue(2);
                }
            }
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
        return found;
    }

    /// <summary>The tree of the first <paramref name="size"/> records, ready to grow; throws <see cref="MissingTreeNodeException"/> if its frontier is not stored.</summary>
    public async Task<CompactRange> ResumeAsync(long size, CancellationToken ct) =>
        new(size, await GetAsync(CompactRange.FrontierOf(size).ToList(), ct));

    /// <summary>How many leaves the stored tree holds (one past the highest level-0 index).</summary>
    public async Task<long> LeafCountAsync(CancellationToken ct) =>
        (await db.AuditTreeNodes.AsNoTracking().Where(n => n.Level == 0).MaxAsync(n => (long?)n.NodeIndex, ct) ?? -1) + 1;

    /// <summary>Queues the rows of nodes a growing tree closed, for the caller's SaveChanges.</summary>
    public void Add(IEnumerable<(TreeNode Node, byte[] Hash)> closed)
    {
        foreach (var (node, hash) in closed)
        {
            db.AuditTreeNodes.Add(new AuditTreeNodeRow { Level = node.Level, NodeIndex = node.Index, Hash = hash });
        }
    }
}
