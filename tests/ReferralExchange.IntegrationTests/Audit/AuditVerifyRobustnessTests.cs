using System.Text;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// <c>rx audit verify</c> on a real SQLite file damaged the way sqlite3 allows: whatever is in a
/// column, it reports the broken record by sequence number with a reason and exits 2, never an
/// unhandled exception and exit 1 (issue 12, point 4). Each test damages its own copy of one
/// stopped gateway's database.
/// </summary>
public sealed class AuditVerifyRobustnessTests(StoppedGateway trail) : IClassFixture<StoppedGateway>
{
    [Fact]
    public async Task Verify_PayloadRetypedToText_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = CAST(\"Payload\" AS TEXT) WHERE \"Sequence\" = 3");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 3", output);
        Assert.Contains("payload is TEXT", output);
    }

    [Fact]
    public async Task Verify_PayloadRetypedToInteger_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = 42 WHERE \"Sequence\" = 4");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 4", output);
        Assert.Contains("payload is INTEGER", output);
    }

    [Fact]
    public async Task Verify_PayloadNull_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.StripAuditTableConstraints();
            t.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = NULL WHERE \"Sequence\" = 5");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 5", output);
        Assert.Contains("payload is NULL", output);
    }

    [Fact]
    public async Task Verify_MalformedCanonicalJsonWithRecomputedHash_ReportsTheRecord()
    {
        // A forger who rewrites the payload and its hash: the chain holds, the content does not read.
        var garbage = Encoding.UTF8.GetBytes("{\"v\":2,\"seq\":3,\"prev\":");
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = @p, \"Hash\" = @h WHERE \"Sequence\" = 3", ("@p", garbage), ("@h", AuditChainFile.HashOf(garbage)));
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 3", output);
        Assert.Contains("not a readable audit record", output);
    }

    [Fact]
    public async Task Verify_JsonNullWhereADateBelongs_ReportsTheRecord()
    {
        var payload = Encoding.UTF8.GetBytes("{\"v\":2,\"seq\":3,\"prev\":\"x\",\"recorded\":null,\"action\":null,\"outcome\":0,\"partner\":null,\"resources\":[],\"request\":null}");
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = @p, \"Hash\" = @h WHERE \"Sequence\" = 3", ("@p", payload), ("@h", AuditChainFile.HashOf(payload)));
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 3", output);
    }

    [Fact]
    public async Task Verify_MissingSequence_NamesTheMissingRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 4");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 4", output);
        Assert.Contains("missing", output);
    }

    [Fact]
    public async Task Verify_SequenceNull_NamesTheRecordItHid()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.StripAuditTableConstraints();
            t.Execute("UPDATE \"AuditRecords\" SET \"Sequence\" = NULL WHERE \"Sequence\" = 4");
        });

        // The row without a sequence is outside every range the reader asks for: the chain shows the gap.
        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 4", output);
        Assert.Contains("missing", output);
    }

    [Fact]
    public async Task Verify_NonMonotonicSequence_NamesTheRepeatedRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.StripAuditTableConstraints();
            t.Execute("INSERT INTO \"AuditRecords\" SELECT * FROM \"AuditRecords\" WHERE \"Sequence\" = 3");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 3", output);
        Assert.Contains("out of order or twice", output);
    }

    [Fact]
    public async Task Verify_SequenceRetypedToText_ReportsTheBreak()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.StripAuditTableConstraints();
            t.Execute("UPDATE \"AuditRecords\" SET \"Sequence\" = 'three' WHERE \"Sequence\" = 3");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 3", output);
    }

    [Fact]
    public async Task Verify_BadHashText_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Hash\" = 'not-a-hash' WHERE \"Sequence\" = 6");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 6", output);
        Assert.Contains("not SHA-256 hex", output);
    }

    [Fact]
    public async Task Verify_PreviousHashNull_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.StripAuditTableConstraints();
            t.Execute("UPDATE \"AuditRecords\" SET \"PreviousHash\" = NULL WHERE \"Sequence\" = 2");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 2", output);
        Assert.Contains("previous hash column is NULL", output);
    }

    [Fact]
    public async Task Verify_OutcomeRetypedToText_ReportsTheRecord()
    {
        var (exit, output) = await VerifyDamagedAsync(t =>
        {
            t.DropProtections();
            t.Execute("UPDATE \"AuditRecords\" SET \"Outcome\" = 'fine' WHERE \"Sequence\" = 2");
        });

        Assert.Equal(2, exit);
        Assert.StartsWith("BROKEN at record 2", output);
        Assert.Contains("outcome column is TEXT", output);
    }

    private async Task<(int Exit, string Output)> VerifyDamagedAsync(Action<AuditTampering> damage)
    {
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        try
        {
            damage(new AuditTampering(copy));
            return await trail.RxAsync(copy, "audit", "verify");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }
    }
}
