using System.Net;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// Each kind of tampering is detected by verification, which names the broken record. Every test
/// tampers with its own gateway's database, so each starts its own gateway.
/// </summary>
public sealed class AuditTamperTests
{
    [Fact]
    public async Task Verify_UntouchedTrail_IsIntact()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        await gateway.CheckpointAsync();

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["isIntact"]!.GetValue<bool>());
        Assert.True(report["recordsChecked"]!.GetValue<long>() >= 7);
    }

    [Fact]
    public async Task Update_OnAuditTable_IsRefusedByTheDatabase()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync(1);
        var tamper = new AuditTampering(gateway);

        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => tamper.Execute("UPDATE \"AuditRecords\" SET \"PartnerId\" = 'x' WHERE \"Sequence\" = 1"));
        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 1"));
    }

    [Fact]
    public async Task Verify_FieldEditedWithTriggerDropped_NamesTheEditedRecord()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        // Rewrite who read the record, inside the hashed payload.
        tamper.Execute("UPDATE \"AuditRecords\" SET \"Payload\" = CAST(REPLACE(CAST(\"Payload\" AS TEXT), 'bh-riverside', 'va-central') AS BLOB), \"PartnerId\" = 'va-central' WHERE \"Sequence\" = 2");

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(2, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("edited", report["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_QueryColumnEdited_NamesTheRecord()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("UPDATE \"AuditRecords\" SET \"PartnerId\" = 'housing-harbor' WHERE \"Sequence\" = 3");

        var (_, report) = await gateway.VerifyAsync();

        Assert.Equal(3, report["firstBrokenSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_OutcomeColumnEdited_ToHideADisclosure_NamesTheRecord()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("UPDATE \"AuditRecords\" SET \"Outcome\" = 4 WHERE \"Sequence\" = 3");

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(3, report["firstBrokenSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_RecordDeleted_NamesTheMissingRecord()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" = 4");

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(4, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("missing", report["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_TwoRecordsSwapped_NamesTheFirstOfThem()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        // Swap every column but the sequence: the rows change places in the chain.
        tamper.Execute("""
            UPDATE "AuditRecords" SET "Sequence" = -1 WHERE "Sequence" = 3;
            UPDATE "AuditRecords" SET "Sequence" = 3 WHERE "Sequence" = 4;
            UPDATE "AuditRecords" SET "Sequence" = 4 WHERE "Sequence" = -1;
            """);

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(3, report["firstBrokenSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_RecordInserted_NamesWhereTheChainBreaks()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        // Make room at 3 and insert a copy of record 2 there, as a forger would.
        tamper.Execute("""
            UPDATE "AuditRecords" SET "Sequence" = "Sequence" + 1000000 WHERE "Sequence" >= 3;
            UPDATE "AuditRecords" SET "Sequence" = "Sequence" - 999999 WHERE "Sequence" >= 1000000;
            INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash")
              SELECT 3, "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash" FROM "AuditRecords" WHERE "Sequence" = 2;
            """);

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(3, report["firstBrokenSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_TailTruncatedAfterCheckpoint_IsDetected()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var checkpoint = await gateway.CheckpointAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("DELETE FROM \"AuditRecords\" WHERE \"Sequence\" >= @from", ("@from", checkpoint - 2));

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("removed from the end", report["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_CheckpointSignatureAltered_NamesTheCheckpoint()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var checkpoint = await gateway.CheckpointAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        tamper.Execute("UPDATE \"AuditCheckpoints\" SET \"Signature\" = randomblob(64) WHERE \"Sequence\" = @seq", ("@seq", checkpoint));

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(checkpoint, report["firstBrokenSequence"]!.GetValue<long>());
        Assert.Contains("signature", report["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_ChainRewrittenBeforeCheckpoint_IsCaughtByTheSignedHead()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var checkpoint = await gateway.CheckpointAsync();
        var tamper = new AuditTampering(gateway);
        tamper.DropProtections();
        // Drop the last record and recompute nothing: the head no longer matches the signature's.
        tamper.Execute("UPDATE \"AuditRecords\" SET \"Hash\" = @h WHERE \"Sequence\" = @seq", ("@h", new string('A', 64)), ("@seq", checkpoint));

        var (status, report) = await gateway.VerifyAsync();

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(checkpoint, report["firstBrokenSequence"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_Incremental_ChecksOnlyRecordsSinceTheCheckpointItLastVerified()
    {
        await using var gateway = await StartAsync();
        await gateway.GenerateTrafficAsync();
        var checkpoint = await gateway.CheckpointAsync();
        // Issue 12 §4: the starting point is the verifier's own (kept beside the witness), never the database's latest checkpoint.
        var (first, _) = await gateway.VerifyAsync();
        Assert.Equal(HttpStatusCode.OK, first);
        await gateway.GenerateTrafficAsync(1);

        var (status, report) = await gateway.VerifyAsync("incremental");
        var head = new AuditTampering(gateway).Head;

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(report["isIntact"]!.GetValue<bool>());
        Assert.True(report["recordsChecked"]!.GetValue<long>() <= head - checkpoint + 1);
    }

    private static Task<OwnedGateway> StartAsync() => OwnedGateway.StartAsync();

}
