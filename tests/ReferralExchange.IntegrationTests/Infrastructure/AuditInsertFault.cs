namespace ReferralExchange.IntegrationTests.Infrastructure;

/// <summary>Makes every insert into the audit table fail (an audit store that is down) until disposed, on either database.</summary>
public sealed class AuditInsertFault : IDisposable
{
    private readonly AuditTampering _tamper;
    private readonly bool _postgreSql;

    private AuditInsertFault(GatewayFixture gateway)
    {
        _tamper = new AuditTampering(gateway);
        _postgreSql = gateway.Database is PostgreSqlTestDatabase;
        _tamper.Execute(_postgreSql
            ? """
              CREATE FUNCTION rx_test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END; $$;
              CREATE TRIGGER "fail_audit" BEFORE INSERT ON "AuditRecords" FOR EACH ROW EXECUTE FUNCTION rx_test_fail_audit();
              """
            : "CREATE TRIGGER \"fail_audit\" BEFORE INSERT ON \"AuditRecords\" BEGIN SELECT RAISE(ABORT, 'audit store unavailable'); END;");
    }

    public static AuditInsertFault Inject(GatewayFixture gateway) => new(gateway);

    public void Dispose() => _tamper.Execute(_postgreSql
        ? "DROP TRIGGER \"fail_audit\" ON \"AuditRecords\"; DROP FUNCTION rx_test_fail_audit();"
        : "DROP TRIGGER \"fail_audit\";");
}
