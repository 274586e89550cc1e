using ReferralExchange.Core.Audit;
using ReferralExchange.Core.Audit.Checkpoints;
using ReferralExchange.Core.Audit.Merkle;

namespace ReferralExchange.Core.Tests.Audit;

/// <summary>
/// Verification against the signed tree head (ADR 0011): a chain rewritten end to end, with the
/// checkpoint row's unsigned head-hash column edited to match, still fails on the signed root.
/// </summary>
public sealed class AuditVerifierRootTests
{
    [Fact]
    public async Task Verify_HonestLog_IsIntact()
    {
        using var signer = new CheckpointNoteTests.TestSigner();
        var entries = Chain(Records("bh-riverside"));
        var checkpoint = await CheckpointAsync(signer, entries);

        var report = await new AuditVerifier(signer).VerifyAsync(entries.ToAsyncEnumerable(), [checkpoint]);

        Assert.True(report.IsIntact, report.Reason);
    }

    [Fact]
    public async Task Verify_ChainRewrittenAndHeadColumnMatched_IsCaughtByTheSignedRoot()
    {
        using var signer = new CheckpointNoteTests.TestSigner();
        var honest = Chain(Records("bh-riverside"));
        var checkpoint = await CheckpointAsync(signer, honest);
        var forged = Chain(Records("bh-riverside", forgeSecond: true));

        var report = await new AuditVerifier(signer).VerifyAsync(forged.ToAsyncEnumerable(), [checkpoint with { HeadHash = forged[^1].Hash }]);

        Assert.False(report.IsIntact);
        Assert.Equal(forged.Count, report.FirstBrokenSequence);
        Assert.Contains("Merkle root", report.Reason);
    }

    private static async Task<AuditCheckpoint> CheckpointAsync(CheckpointNoteTests.TestSigner signer, List<AuditLogEntry> entries)
    {
        var tree = new CompactRange();
        entries.ForEach(e => tree.Append(MerkleHash.Leaf(e.Payload)));
        var (signed, keyId) = await new CheckpointSigner(signer).SignAsync(new Checkpoint("test.example/audit", entries.Count, tree.Root()), CancellationToken.None);
        return new AuditCheckpoint(entries.Count, entries[^1].Hash, DateTimeOffset.UnixEpoch, keyId, signed.Note.Signatures[0].Signature, signed.Text);
    }

    private static List<AuditRecord> Records(string reader, bool forgeSecond = false) =>
        Enumerable.Range(1, 5).Select(i => new AuditRecord
        {
            Action = AuditActions.Read,
            Outcome = AuditOutcome.Success,
            Recorded = DateTimeOffset.UnixEpoch.AddMinutes(i),
            PartnerId = forgeSecond && i == 2 ? "va-central" : reader,
            RequestId = $"request-{i}",
        }).ToList();

    private static List<AuditLogEntry> Chain(List<AuditRecord> records)
    {
        var entries = new List<AuditLogEntry>();
        var previous = AuditChain.Genesis;
        for (var i = 0; i < records.Count; i++)
        {
            var payload = AuditCanonicalForm.Write(i + 1, previous, records[i]);
            var hash = AuditChain.Hash(payload);
            entries.Add(new AuditLogEntry(i + 1, payload, previous, hash, records[i].Recorded.UtcTicks, records[i].PartnerId, null, records[i].Action, 0));
            previous = hash;
        }
        return entries;
    }
}
