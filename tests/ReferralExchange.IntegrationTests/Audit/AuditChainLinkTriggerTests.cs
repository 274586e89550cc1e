using Microsoft.Data.Sqlite;
using ReferralExchange.IntegrationTests.Infrastructure;

namespace ReferralExchange.IntegrationTests.Audit;

/// <summary>
/// On SQLite a record enters the audit trail only at the tip of the chain (ADR 0031): the trigger
/// <c>AuditRecords_extends_chain</c> refuses a record that does not name the hash of the record one
/// sequence before it. It replaced the unique index on PreviousHash, so these are the attacks that
/// index stopped (a fork) and the ones it did not (a gap). Each test works on its own copy of one
/// stopped gateway's database, with every other protection in place.
/// </summary>
public sealed class AuditChainLinkTriggerTests(StoppedGateway trail) : IClassFixture<StoppedGateway>
{
    private const string CopyOfRecord = """
        INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash")
          SELECT @to, "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash" FROM "AuditRecords" WHERE "Sequence" = @from
        """;

    [Fact]
    public void Insert_ForkNamingTheHeadsPredecessor_IsRefused()
    {
        var tamper = new AuditTampering(AuditChainFile.Copy(trail.DatabasePath));
        var head = tamper.Head;

        // A second record after the head's predecessor: the fork the unique index used to refuse.
        var refused = Assert.Throws<SqliteException>(() => tamper.Execute(CopyOfRecord, ("@to", head + 1), ("@from", head)));

        Assert.Contains("AuditRecords must extend the chain", refused.Message);
        Assert.Equal(head, tamper.Head);
    }

    [Fact]
    public void Insert_AfterAGap_IsRefused()
    {
        var tamper = new AuditTampering(AuditChainFile.Copy(trail.DatabasePath));
        var head = tamper.Head;
        var headHash = tamper.Scalar<string>("SELECT \"Hash\" FROM \"AuditRecords\" WHERE \"Sequence\" = @s", ("@s", head));

        var refused = Assert.Throws<SqliteException>(() => tamper.Execute("""
            INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash")
              SELECT @to, "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", @previous, "Hash" FROM "AuditRecords" WHERE "Sequence" = @from
            """, ("@to", head + 2), ("@from", head), ("@previous", headHash)));

        Assert.Contains("AuditRecords must extend the chain", refused.Message);
        Assert.Equal(head, tamper.Head);
    }

    [Fact]
    public async Task Insert_LinkedToTheHead_PassesTheGuardAndVerifyStillNamesIt()
    {
        // The trigger keeps the stored chain linear; it is not the tamper evidence. A forged record
        // that names the head's hash gets in, and the chain check catches its payload.
        var copy = AuditChainFile.Copy(trail.DatabasePath);
        var tamper = new AuditTampering(copy);
        var head = tamper.Head;
        var headHash = tamper.Scalar<string>("SELECT \"Hash\" FROM \"AuditRecords\" WHERE \"Sequence\" = @s", ("@s", head));

        tamper.Execute("""
            INSERT INTO "AuditRecords" ("Sequence", "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", "PreviousHash", "Hash")
              SELECT @to, "RecordedTicks", "Action", "Outcome", "PartnerId", "PatientId", "Payload", @previous, "Hash" FROM "AuditRecords" WHERE "Sequence" = @from
            """, ("@to", head + 1), ("@from", head), ("@previous", headHash));
        var (exit, output) = await trail.RxAsync(copy, "audit", "verify");

        Assert.Equal(head + 1, tamper.Head);
        Assert.NotEqual(0, exit);
        Assert.Contains($"BROKEN at record {head + 1}:", output);
    }

    [Fact]
    public void Schema_HasNoUniqueIndexOnThePredecessorHash()
    {
        var tamper = new AuditTampering(AuditChainFile.Copy(trail.DatabasePath));

        Assert.Equal(0L, tamper.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'IX_AuditRecords_PreviousHash'"));
        Assert.Equal(1L, tamper.Scalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'AuditRecords_extends_chain'"));
    }
}
